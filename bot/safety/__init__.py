"""Red flags: the signs as reviewable data (``signs.yml``), the rules that find them, and
the semantic net for wordings the rules do not know. Nothing here imports Rasa.

The names below are what the NLU pipeline marks on a message (Rasa entities) and what the
actions read back.
"""

# A red flag found: its urgency, its signs (ids, comma-separated), and whose it is.
URGENCY_ENTITY = "red_flag_urgency"
SIGNS_ENTITY = "red_flag_signs"
SOMEONE_ELSE_ENTITY = "red_flag_someone_else"
# A sign suspected but not confirmed: the signs to ask about (ids, comma-separated).
SUSPECTED_ENTITY = "red_flag_suspected"
