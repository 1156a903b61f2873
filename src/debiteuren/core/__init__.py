"""The pure domain: money, dates, rates, interest, costs and the ladder. No I/O, no clock."""
