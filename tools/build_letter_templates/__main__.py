"""``python -m tools.build_letter_templates [DIR]``: write the letter templates."""

from . import main

raise SystemExit(main())
