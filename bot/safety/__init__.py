"""Red flags: the signs as reviewable data (``signs.yml``), the rules that find them, and
the semantic net for wordings the rules do not know. Nothing here imports Rasa.

The NLU decides once per message and writes the whole assessment (``decision.Assessment``)
into Rasa's parse output under ``ASSESSMENT_KEY``; the actions and the clinic's report
read it back from there (``decision.assessment_of``).
"""

ASSESSMENT_KEY = "red_flag_assessment"
