"""Spot red-flag symptoms in a visitor's own words, wherever they appear in a conversation.

A red flag must never be missed, so this is deliberately a transparent rule set (reviewable
by a clinician, testable line by line) rather than a learned model alone: the NLU
pipeline's suspicion classifier (bot/nlu/red_flag_classifier.py) is a second net for phrasings
these rules do not know.

Each sign is a pattern plus guards for the ways people mention a symptom without having
it: negation ("no bladder problems"), the distant past ("a fall years ago"), someone else
("my dad had cancer") and worry rather than history ("could it be cancer?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# The entity the NLU pipeline adds when its classifier suspects a red flag these rules can't
# confirm; the actions answer such a message as usual and add the safety note.
SUSPECTED_ENTITY = "red_flag_suspected"


class Urgency(str, Enum):
    """Emergency: possible nerve compression (cauda equina); same day: see a doctor today."""

    EMERGENCY = "emergency"
    SAME_DAY = "same_day"


@dataclass(frozen=True)
class Sign:
    name: str
    urgency: Urgency
    pattern: re.Pattern[str]
    # Matches that say the sign is absent, long past, someone else's, or only a worry.
    guard: re.Pattern[str] | None = None
    # Inability phrases ("can't pee") carry their own negative; don't read it as a denial.
    negatable: bool = True
    # Like ``guard``, but read over the whole message: the reason a sign is harmless often
    # sits in another clause ("I'm on a diet, but I've lost 8kg").
    message_guard: re.Pattern[str] | None = None
    # Read the whole message rather than clause by clause.
    across_clauses: bool = False
    # Someone else has or had the sign ("my dad had cancer"): not the visitor's red flag,
    # unless the visitor is asking for that person ("can you see her today?").
    third_party: re.Pattern[str] | None = None


@dataclass(frozen=True)
class RedFlag:
    sign: str
    urgency: Urgency
    evidence: str


# The "a few words between" gap in the patterns never bridges a negation: "my legs are not
# weak" and "the pain never wakes me" deny the sign inside the match, where the look-back
# for a negation before it (``_negated``) cannot see.
_ANY_WORD = r"(?:\w+ )"
_WORD_NOT_NEGATION = r"(?:(?!(?:not|no|never|nor)\b(?! stop))\w+ )"


def _rx(*parts: str) -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in parts)
    return re.compile(joined.replace(_ANY_WORD, _WORD_NOT_NEGATION), re.IGNORECASE)


_CANT = r"(?:can'?t|cannot|can not|couldn'?t|unable to|not able to|not being able to|without being able to|no longer able to|haven'?t been able to|struggl\w* to|trouble|hard to)"
_NUMB = (
    r"(?:numb\w*|tingl\w*|pins and needles|dead|no feeling|lost (?:the )?feeling|"
    r"(?:can'?t|cannot|can not|couldn'?t) (?:really |quite |properly |fully |actually |even )?feel|"
    r"(?:can |could )?(?:barely|hardly|only just) feel|reduced feeling|less feeling|"
    r"dental injection|dentist|"
    r"an(?:a)?esthetic|novocaine|not my own|not mine|fuzzy|cardboard|cotton wool|"
    r"(?:gone|went|goes|going) (?:to sleep|asleep)|like it is sleeping|feels? asleep)"
)
_SADDLE = (
    r"(?:saddle|groin|crotch|genital\w*|private parts|between (?:my|the) legs|"
    r"inner thighs?|bottom|bum|backside|butt\b|anus|back passage|perine\w*|vagina\w*|privates?|"
    r"penis|down below|down there|(?:things|everything|my|around) downstairs|undercarriage|nether\w*|(?:my|around my|the) bits|"
    r"insides? of (?:my|the) thighs|when i wipe|wiping|toilet paper|clean myself|loo seat|toilet seat)"
)
_INABLE = r"(?:can'?t|cannot|can not|couldn'?t|unable to|not able to|no longer able to|haven'?t been able to|have not been able to|hasn'?t been able to)"
_STOOL = r"(?:bowels?|poo\w*|stools?|number twos?|no\.? ?2s?|faec\w*|fec\w*|motions?)"
_SWELLING = (
    r"(?:swollen|swelling|swelled|puffy|puffed up|come up like|blown up|ballooned|like a balloon|"
    r"twice (?:the|its) (?:normal )?size)"
)
_LONG_AGO = (
    r"years? (?:ago|back)|long time ago|while ago|ages ago|decades?|as a (?:kid|child|teen\w*)|"
    r"when i was (?:young|little|a|at|in)|in (?:19|20)\d\d|months ago|winters? back|"
    r"last (?:year|decade)|old injury|years later|when i was \d+|aged \d+|as a \d+"
)
_SOMEONE_ELSE = (
    r"\b(?:my|his|her|our|a) (?:mum|mom|mother|dad|father|parent|brother|sister|aunt|uncle|"
    r"gran\w*|grand\w*|friend|wife|husband|hubby|partner|son|daughter|cousin|neighbou?r|family|"
    r"colleague|dog|cat|toddler|baby|kids?|child|children|boy|girl|patients?|client)\b"
)
_WORRY = r"\b(?:worried|afraid|scared|fear\w*|might be|could (?:it|this) be|is it|what if)\b"
# The visitor is asking on someone else's behalf: that person's signs count.
_ON_BEHALF = re.compile(
    r"\b(?:see|look at|fit|book|bring|check|treat|help) (?:him|her|them)\b|"
    r"\b(?:he|she) (?:can'?t|cannot|keeps|is in|says)\b",
    re.IGNORECASE,
)
# A question about signs in general, with the visitor saying they don't have them.
_HYPOTHETICAL = re.compile(
    r"i (?:don'?t|do not) have (?:that|those|them|this|any of (?:that|those|them|these))|"
    r"\bi can,|just (?:curious|wondering)|is it (?:a red flag|serious|bad|normal) if you",
    re.IGNORECASE,
)
_EASES = (
    r"(?:settles?|eases?|goes away|wears off|disappears?|goes|better) (?:when|if|once|after) i "
    r"(?:change|move|roll|turn|shift|stand|get up)|"
    r"(?:if|when|once|after) i (?:change|move|roll|turn|shift|stand|get up)\w*(?: \w+){0,4}? "
    r"(?:it )?(?:settles|eases|goes|stops|wears off|disappears|is fine|is better)"
)

SIGNS: tuple[Sign, ...] = (
    Sign(
        "bladder changes",
        Urgency.EMERGENCY,
        _rx(
            rf"{_CANT} (?:\w+ )?(?:to )?(?:pee|wee|urinat\w*|empty my bladder|pass (?:urine|water)|go to the (?:loo|toilet|bathroom))",
            r"(?:wet|wetting|pee|peed|peeing|piss|pissed|pissing|wee|weed|weeing) (?:myself|the bed|my (?:pants|trousers|knickers))",
            r"(?:wee|pee|urine|urinary) (?:stream|flow) (?:\w+ ){0,2}?(?:weak|slow|poor)|(?:push|strain) to (?:get it going|pee|wee|start)",
            r"\bleak(?:s|ing|ed|age)?\b",
            r"accidents? in (?:my|the) (?:pants|trousers|knickers|underwear|bed)",
            r"(?:lost|losing|no|loss of) (?:control (?:of|over) )?(?:my )?(?:bladder|urine|pee|wee)(?: control)?",
            r"bladder (?:control|leak\w*|problem\w*|issue\w*|feels full|won'?t empty|isn'?t emptying|not emptying|weak\w*|changes?)",
            rf"{_CANT} (?:\w+ )?(?:control|hold) (?:my )?(?:bladder|urine|pee|wee|water)",
            r"incontinen\w*|leak\w* urine|urine leak\w*|dribbl\w*",
            r"(?:can'?t|cannot|don'?t|do not|no longer) (?:feel|tell) (?:when|if) i (?:need|have) to (?:pee|wee|go)",
            rf"{_CANT} (?:feel|tell) when i need (?:a wee|a pee|the (?:loo|toilet))",
            r"(?:no|lost the|don'?t get the|not getting the) urge to (?:pee|wee|urinate|go)",
            r"(?:nothing|hardly anything|very little|not much|precious little|barely anything|little)(?: \w+)? (?:comes?|came|coming)(?: out\b|$)",
            r"(?:difficult\w*|trouble|struggl\w*|hard|problem\w*) (?:\w+ ){0,3}?(?:passing|pass) (?:water|urine)",
            r"(?:wee|pee|urine) (?:\w+ ){0,2}?(?:not|doesn'?t|won'?t|don'?t|didn'?t) come out",
            r"bladder (?:still )?feels? full|(?<!water )(?<!fluid )\bretention\b",
            r"(?:needed|wanted) to go since|(?:haven'?t|have not|hasn'?t|not) (?:needed|wanted|had) to (?:pee|wee|urinate) (?:\w+ ){0,3}?(?:since|for|all day|in \d+)",
            r"woke up (?:\w+ )?(?:soaked|wet)\b",
            r"(?:ages|forever|a long time|minutes) (?:\w+ ){0,4}?before (?:anything|it|the (?:wee|pee|urine|flow)) (?:starts|comes|gets going)",
            r"(?:hard|difficult|trouble|struggl\w*) (?:\w+ ){0,2}?(?:start\w*|get\w* going) (?:\w+ ){0,2}?(?:pee|wee|urin\w*|stream|flow)",
            r"accidents? (?:and|without|i didn'?t)",
            rf"{_CANT} (?:\w+ ){{0,2}}?(?:control\w*|hold\w*) (?:\w+ ){{0,3}}?(?:bladder|urine|pee\w*|wee\w*|water|waterworks)",
            r"(?:can'?t|cannot|don'?t|do not|no longer|not) (?:\w+ )?(?:feel|tell|sense|notice|know) (?:when|if|that) (?:my bladder|i need (?:a |to )?(?:pee|wee|go|poo|number (?:one|two|1|2)|the (?:loo|toilet))|i'?m (?:full|bursting))",
            r"(?:feeling|urge|sensation|need) (?:of |to )?(?:needing )?(?:to )?(?:go|pee|wee|urinate)\w* (?:\w+ ){0,2}?(?:vanished|disappeared|gone)",
            r"(?:wet|wetting|wet myself in) (?:the|my) bed|bed (?:was|is|were) (?:\w+ )?(?:wet|soaked|damp)",
            r"waterworks (?:\w+ ){0,2}?(?:stopped|gone|not working|changed|playing up|problem\w*)",
        ),
        guard=_rx(
            r"\bno (?:bladder|bowel)",
            r"bladder (?:and bowel )?(?:are|is) (?:fine|normal|ok)",
            # Leaking when laughing or sneezing is common and not a nerve sign; sweat is fever.
            r"(?:nearly|almost) (?:wet|pee\w*|wee\w*)|laugh\w*|sneez\w*|cough\w*|sweat\w*",
        ),
        negatable=False,
    ),
    Sign(
        "bowel changes",
        Urgency.EMERGENCY,
        _rx(
            r"(?:lost|losing|no|loss of) (?:control (?:of|over) )?(?:my )?(?:bowels?|poo|stools?)(?: control)?",
            r"bowels? (?:control|problem\w*|issue\w*|changes?|ha(?:ve|s) gone|accident\w*|leak\w*)",
            r"(?:pooed|pooped|soiled|messed|shat|shit) (?:myself|himself|herself|themselves|my (?:pants|trousers|knickers)|the bed)",
            r"(?:underwear|pants|knickers|undies|boxers) (?:\w+ ){0,2}?(?:soiled|stained)",
            rf"{_CANT} (?:\w+ ){{0,2}}?(?:hold|control)\w* (?:\w+ ){{0,2}}?{_STOOL}",
            r"faecal|fecal|bowel incontinen\w*",
            rf"(?:no|not|n'?t|never|lost|without|any)\W+(?:\w+\W+){{0,3}}?urge (?:to|for) (?:a |do a |have a )?(?:{_STOOL}|go|open my bowels)",
            rf"accident\w* (?:with|in) (?:my )?(?:\w+ )?(?:{_STOOL}|pants|trousers|underwear|knickers)",
            rf"{_STOOL}\W+(?:\w+\W+){{0,4}}?(?:accident|without (?:feeling|noticing|knowing|warning)|(?:no|zero|any) warning|didn'?t (?:feel|notice|know)|comes? out)",
            r"(?:when|if) i (?:finally |try to |tried to )?(?:went|go)\W+(?:i )?(?:can'?t|couldn'?t|cannot|didn'?t|don'?t) (?:\w+ )?feel (?:it|if|anything)",
            r"(?:didn'?t|did not|couldn'?t) make it to the (?:loo|toilet|bathroom)",
        ),
        guard=_rx(r"\bno (?:bladder or )?bowel", r"bowels? (?:are|is) (?:fine|normal|ok)"),
        negatable=False,
    ),
    Sign(
        "numbness in the saddle area",
        Urgency.EMERGENCY,
        _rx(
            rf"{_NUMB}\W+(?:\w+\W+){{0,6}}?{_SADDLE}",
            rf"{_SADDLE}\W+(?:\w+\W+){{0,6}}?{_NUMB}",
            r"saddle (?:numbness|anaesthesia|anesthesia)",
        ),
        guard=_rx(
            _EASES,
            r"(?:hard|wooden|long) (?:seat|bench|bleacher|chair)\w*",
            # "I can hardly feel the pain in my groin now": the pain is going, not the feeling.
            r"feel (?:\w+ ){0,2}?(?:pain|ache|aching|soreness|stiffness|difference|benefit)\b",
            r"(?:wore|wears|worn) off|\b(?:ride|cycl\w*|sportive|spin class|saddle sore|bike)\b",
        ),
    ),
    Sign(
        "new or worsening leg weakness",
        Urgency.SAME_DAY,
        _rx(
            r"(?:legs?|foot|feet|ankle|knees?) (?:\w+ ){0,4}?(?:weak\w*|giving way|gives? (?:out|way)|buckl\w*|collaps\w*|dragg?\w*|flopp\w*|slapp\w*|jelly|useless|dead weight)",
            rf"{_CANT} (?:\w+ ){{0,3}}?(?:on|onto) (?:my )?(?:tip ?toes|tippy ?toes|toes|heels)",
            r"weak\w* (?:\w+ ){0,2}?(?:in )?(?:my |both |one )?(?:(?:left|right|other|bad) )?(?:legs?|foot|feet|ankle)",
            r"foot drop|drop foot|dropped foot|(?:foot|leg|toes) (?:won'?t|doesn'?t|wont|will not) (?:lift|move|hold me)",
            rf"{_CANT} (?:lift|raise|pick up) my (?:foot|toes|leg)",
            r"trip\w* (?:over )?(?:on )?my (?:own )?(?:foot|feet|toes)",
            r"legs? (?:just )?(?:went|gone|going) (?:from under|out from under|to jelly)",
        ),
        guard=_rx(
            r"tired|heavy after|leg day|after (?:\w+ ){0,3}?(?:walk|run|gym|workout|training|exercise)",
            _LONG_AGO,
        ),
    ),
    Sign(
        "fever or feeling unwell",
        Urgency.SAME_DAY,
        _rx(
            r"fever\w*|high temp\w*|(?:a|running a) temperature|temperature of|chills|shiver\w*|rigou?rs|night sweats|sweating at night|hot and cold",
            r"feel\w* (?:really |very |quite |so |generally |properly |proper |absolutely )?(?:unwell|ill|sick|rough|poorly|awful)",
            r"hot (?:and|n|&|'n'?) cold|burning up|boiling up|temp(?:erature)?\b (?:\w+ ){0,3}?(?:3[89]|4[01]|10[0-4])(?:\.\d)?\b",
            r"shak\w* (?:\w+ ){0,2}?uncontrollabl\w*|teeth (?:were )?chattering|can'?t (?:get|stay|keep) warm",
            r"flu[- ]?like",
            r"(?:drenched|soaked|soaking|dripping|pouring|wringing wet) (?:\w+ ){0,2}?(?:in |with )?sweat",
            r"sweat\w* (?:\w+ ){0,3}?(?:at night|every night|in bed|overnight|in my sleep)",
            r"(?:sheets|pyjamas|pajamas|nightie|pillow) (?:\w+ ){0,2}?(?:soaked|drenched|wet through)",
        ),
        guard=_rx(
            _LONG_AGO,
            r"menopaus\w*|hot flush\w*",
        ),
        third_party=_rx(_SOMEONE_ELSE + r" (?:has|had|'s got|got|is|was|with|said|says|told)\b"),
        message_guard=_rx(
            r"(?:fever|temp\w*|flu|sweats?|cold|bug|virus)\W+(?:\w+\W+){0,5}?(?:cleared|went away|gone away|settled|passed|all gone|gone now|better now|recovered)",
            r"(?:cleared|went away|settled|passed) (?:up )?(?:\w+ ){0,2}?(?:weeks?|months?) ago",
        ),
    ),
    Sign(
        "a history of cancer",
        Urgency.SAME_DAY,
        _rx(
            r"cancer|tumou?r|chemo\w*|radiotherapy|radiation (?:therapy|treatment)|oncolog\w*|malignan\w*|metasta\w*|lymphoma|leuk(?:a)?emia|myeloma|carcinoma|melanoma",
            r"\b(?:prostate|breast|bowel|lung|skin|bone|blood|kidney|ovarian|cervical|pancreatic|thyroid|bladder) ca\b",
            r"hormone (?:therapy|treatment|jabs|injections|tablets) for (?:my )?(?:prostate|breast)",
        ),
        third_party=_rx(_SOMEONE_ELSE),
        guard=_rx(
            _WORRY,
            r"never had",
            r"(?:no|any) (?:history|sign)",
            # Where someone works or gives, not what they have had.
            r"cancer (?:ward|unit|centre|center|charity|research|hospital|nurse|patients?|clinic|shop)",
            r"(?:work|nurse|volunteer|fundrais|run|ran)\w* (?:\w+ ){0,3}?(?:for|at|on|in) (?:a |the )?cancer",
            r"(?:oncology|cancer) (?:nurse|ward|unit|department|team|doctor|consultant)|work\w* (?:\w+ ){0,3}?(?:oncology|cancer)",
        ),
    ),
    Sign(
        "a recent fall or injury",
        Urgency.SAME_DAY,
        _rx(
            r"\b(?:fell|fallen|falling|slipped|tripped|crashed)\b",
            r"\b(?:a|my|the) (?:bad |nasty |big )?fall\b",
            r"(?:car|road|traffic|motorbike|bike|cycling|skiing|work|sports?) (?:accident|crash|collision)",
            r"hit by (?:a )?(?:car|bike|van|bus)|knocked (?:off|down|over)|came off (?:my|the|a) (?:bike|horse|ladder)|thrown from",
            r"(?:end(?:ed)? up|found myself|ending up) on the floor",
            r"landed (?:\w+ )?on my (?:hip|back|side|bum|bottom|tailbone|backside|coccyx)",
            r"came off (?:my|the|a|an) (?:\w+[- ])?(?:bike|scooter|horse|ladder|motorbike|skateboard|board|wall|roof|trampoline|steps?|stairs|quad|moped)",
            r"\btumbled?\b(?! dry)",
            r"rear[- ]ended|shunted|whiplash|\brta\b|collided|collision|pile[- ]?up",
            r"(?:in|been in|was in) (?:a|an) (?:\w+ )?(?:accident|crash|smash|prang)",
            r"had (?:a|an) (?:car|road|bike|motorbike|cycling|skiing|work|sports?|bad|serious|nasty|big) (?:accident|crash|smash)",
            r"(?:hit|struck|run over|knocked (?:over |down )?) by (?:a |an )?(?:car|bike|van|bus|lorry|truck|cyclist|motorbike|scooter|taxi|vehicle|horse)",
        ),
        guard=_rx(
            _LONG_AGO,
            r"(?:slipped|slip|slipping) (?:a |my |the )?dis[ck]|fall(?:ing)? asleep|fell asleep|(?:last|this|in the|next) fall\b|fall season|falls? apart",
            r"(?:afraid|scared|worried|fear) (?:of|about) (?:falling|a fall)|falls? risk",
            r"(?:dropped|fell) (?:my|the) (?:phone|keys)",
            r"caught myself|didn'?t (?:actually |quite |really )?fall|(?:nearly|almost) (?:fell|fall|tripped|slipped)|without falling",
        ),
        third_party=_rx(_SOMEONE_ELSE + r"(?! (?:and|but) i)"),
    ),
    Sign(
        "being unable to bear weight",
        Urgency.SAME_DAY,
        _rx(
            rf"{_CANT} (?:put|bear|take|stand) (?:any |much )?weight",
            rf"{_CANT} (?:stand (?:up )?on|walk on|put my (?:foot|leg) down)",
            r"can'?t (?:stand|walk) (?:at all|anymore|any more|now)",
            rf"{_INABLE} (?:\w+ )?(?:stand|walk)\w*\b",
            r"(?:leg|hip) (?:just )?(?:won'?t|will not|wouldn'?t) (?:hold|take|support) (?:me|my weight)",
            rf"{_CANT} (?:even )?take (?:a |one |a single |any )?steps?",
            rf"{_CANT} (?:\w+ )?put (?:my|that|the|this|any|weight on) (?:\w+ )?(?:foot|leg) (?:down|on the (?:floor|ground))",
            r"had to (?:carry|lift) me|(?:on|using|need\w*|borrowed) (?:\w+ ){0,3}?crutch\w*",
        ),
        guard=_rx(
            r"(?:walk|stand)\w* (?:up )?(?:far|for long|very far|long|more than|without|straight|upright|still)",
            r"(?:stand|get)\w* up (?:from|out of) (?:a |the |my )?(?:chair|sofa|seat|sitting|toilet|car|bed|settee|couch)",
            r"(?:walk|stand)\w* (?:\w+ ){0,2}?(?:as far|as long|as much|as well|as fast|properly|normally|the dog|to work|to the shops)",
            # "I can't stand the pain / sitting": cannot bear it, not cannot stand up.
            r"(?:can'?t|couldn'?t|cannot) stand (?:the |it\b|this |that |him|her|them|sitting|being|waiting|people|when)",
        ),
        negatable=False,
    ),
    Sign(
        "unexplained weight loss",
        Urgency.SAME_DAY,
        _rx(
            r"(?:unexplained|unintentional|unintended|sudden|rapid) weight loss",
            r"(?:lost|losing|dropped|dropping) (?:\w+ ){0,2}?(?:weight|\d+ ?(?:kg|kilos?|pounds|lbs?|stone)|a stone)\b.{0,40}?"
            r"(?:without (?:tryin\w*|dieting)|not (?:tryin\w*|dieting)|no (?:idea|reason)|for no reason|don'?t know why|haven'?t (?:been )?(?:trying|dieting|changed))",
            r"clothes (?:are )?(?:\w+ )?(?:hanging|falling) off me",
            r"weight (?:is |has been |keeps )?(?:falling|dropping|coming) off",
            # Any reported loss counts unless the message says it was meant (message_guard).
            r"(?:lost|losing|lose|dropped|dropping|shed|down) (?:\w+ ){0,3}?(?:\d+(?:\.\d+)? ?(?:kg|kilos?|pounds|lbs?|stones?|st)\b|a stone|weight)",
            r"(?:diminution|reduction|drop|loss|decrease|fall) in (?:my )?weight",
            r"belt\S* (?:\w+ ){0,4}?(?:last|tightest|extra|new) (?:notch|hole)|(?:clothes|trousers|jeans) (?:\w+ ){0,3}?(?:loose|baggy|hanging)",
            r"\bgaunt\b|skin and bones",
        ),
        # A question about losing weight is not a report of having lost it.
        guard=_rx(
            r"(?:will|would|does|do|should|can|could|might|is|how)\W+(?:\w+\W+){0,2}?(?:losing|lose|dropping) (?:some |a bit of |a little )?weight",
            r"(?:losing|lose|dropping) (?:some |a bit of )?weight (?:help|helps|good|better|improve\w*|reduce\w*|ease\w*)",
        ),
        message_guard=_rx(
            r"on purpose|intentional\w*|(?:on|started|doing|following) (?:a |the |my )?(?:\w+ )?diet|"
            r"dieting|slimming|weight ?watchers|counting calories|calorie counting|"
            r"(?:trying|tried|want|wanted|would like|hoping|hope|plan\w*|meant|need\w*) to lose|(?:after|since) (?:having )?(?:the |my )?(?:baby|birth)"
        ),
    ),
    Sign(
        "severe pain at night",
        Urgency.SAME_DAY,
        _rx(
            r"(?:pain|it|ache|back|hip)\w* (?:\w+ ){0,3}?wakes? me(?: up)?(?! once)",
            r"(?:woken|waking|wake) (?:up )?(?:by|from|with|because of) (?:the )?(?:pain|agony)",
            r"(?:can'?t|cannot|couldn'?t) sleep (?:because of|for|with|due to) (?:the |my )?(?:\w+ )?pain",
            r"(?:unbearable|severe|excruciating|constant|terrible|agoni\w+) (?:\w+ ){0,3}?(?:at night|all night|overnight)",
            r"(?:at night|all night|in bed)\W+(?:\w+\W+){0,6}?(?:unbearable|excruciating|agony|nothing helps|no position|can'?t get comfortable)",
            r"night pain",
            r"(?:woken|waking|wakes?|woke) (?:me )?(?:up )?(?:by|because of|due to) (?:the |my )?(?:\w+ ){0,2}?(?:pain|agony|back|hip|ache)",
            r"(?:(?:pain|ache|hurts?|it'?s there|constant)\W+(?:\w+\W+){0,3}?day (?:and|or) night|even (?:when )?(?:lying|resting|sitting|i'?m lying|i lie)(?: \w+){0,2}? (?:still|down|flat|in bed))",
            r"(?:never|doesn'?t|does not|won'?t|will not) (?:\w+ )?(?:lets? up|ease\w*|settle\w*|change\w*)\W+(?:\w+\W+){0,3}?(?:whatever|no matter|any) (?:way|position|how|i do)",
            r"(?:no|not one|any) position (?:\w+ ){0,2}?(?:helps|eases|is comfortable|comfortable)",
            r"can'?t get (?:comfy|comfortable) in any position",
            r"(?:pain|ache|hurts?|sore)\W+(?:\w+\W+){0,3}?24/7|24/7 (?:pain|ache)",
            r"(?:rest\w*|lying (?:down|still|flat)) (?:\w+ )?(?:makes|made) (?:no|zero|little|not much) difference",
            r"doesn'?t matter (?:if|whether|what|how) (?:i'?m |i )?(?:sit|lie|lying|stand|move|do)",
            r"(?:lying|resting|rest) (?:still |down |flat )?(?:\w+ )?makes it worse",
            r"(?:doesn'?t|does not|won'?t|will not|never) (?:\w+ )?let up|unremitting|relentless",
            r"(?:pain|ache|it) (?:\w+ ){0,2}?never stops?|(?:can'?t|cannot) find (?:any|a) (?:position|way to get comfortable)",
            r"no (?:posture|position) (?:\w+ ){0,2}?(?:helps|eases|relief|affords|comfortable)|rouses me",
            r"(?:pacing|walking) (?:\w+ ){0,3}?(?:at|in the) (?:\d|night|midnight|middle of the night|early hours)",
        ),
        guard=_rx(_EASES, r"stiff (?:in|first thing in) the morning"),
    ),
    Sign(
        "a hot, swollen joint",
        Urgency.SAME_DAY,
        _rx(
            rf"(?:hot|warm|red|inflamed)\W+(?:\w+\W+){{0,8}}?{_SWELLING}",
            rf"{_SWELLING}\W+(?:\w+\W+){{0,6}}?(?:hot|warm|red)\b",
            r"(?:glowing|hot|red)\W+(?:\w+\W+){0,2}?fat and (?:hot|red|warm)",
        ),
        guard=_rx(
            r"\bno (?:swelling|redness)|(?:not|isn'?t|wasn'?t) (?:\w+ )?(?:swollen|hot)",
        ),
        third_party=_rx(
            _SOMEONE_ELSE + r"'?s? (?:\w+ )?(?:knee|hip|ankle|joint|foot|toe|elbow|wrist|leg)"
        ),
        # "It's red and burning hot? Puffy too." says it over two sentences.
        across_clauses=True,
    ),
)

_CLAUSE_BREAK = re.compile(
    r"[.;!?\n]+|\.\.\.|\s[-–—]\s|,?\s+\b(?:but|though|although|however|except|whereas)\b", re.I
)
_NEGATION = re.compile(
    r"\b(?:no|not(?! my| being| able)|never|none|without|nor|neither|don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|"
    r"isn'?t|aren'?t|wasn'?t|free of|denies|deny|negative for)\b",
    re.I,
)
_NEGATION_REACH = (
    5  # words before a symptom that can deny it: "no fever", "I don't have any numbness"
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def detect(text: str) -> list[RedFlag]:
    """Every red-flag sign the message describes, most urgent first."""
    message = " ".join(text.translate(_APOSTROPHES).split())
    if _HYPOTHETICAL.search(message):
        return []
    on_behalf = bool(_ON_BEHALF.search(message))
    clauses = _clauses(message)
    found = []
    for sign in SIGNS:
        # Guards that read the whole message are checked once per sign, not per clause.
        if sign.message_guard and _affirmed(sign.message_guard, message):
            continue
        for target in [message] if sign.across_clauses else clauses:
            if sign.third_party and not on_behalf and sign.third_party.search(target):
                continue
            match = _first_real_match(sign, target)
            if match:
                found.append(RedFlag(sign.name, sign.urgency, match))
                break
    return sorted(found, key=lambda flag: flag.urgency != Urgency.EMERGENCY)


def most_urgent(flags: list[RedFlag]) -> Urgency | None:
    return flags[0].urgency if flags else None


def _clauses(message: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_BREAK.split(message) if c and c.strip()]


def _first_real_match(sign: Sign, clause: str) -> str | None:
    if sign.guard and sign.guard.search(clause):
        return None
    for match in sign.pattern.finditer(clause):
        if sign.negatable and _negated(clause, match.start()):
            continue
        return match.group(0)
    return None


def _affirmed(pattern: re.Pattern[str], text: str) -> bool:
    """A match that is not denied: "I'm on a diet" is, "I'm not on a diet" is not."""
    return any(
        not _NEGATION.search(m.group(0)) and not _negated(text, m.start())
        for m in pattern.finditer(text)
    )


def _negated(clause: str, start: int) -> bool:
    words_before = clause[:start].split()[-_NEGATION_REACH:]
    return bool(_NEGATION.search(" ".join(words_before)))
