"""Letters: reminder and demand letters with their payment details and EPC QR code."""
