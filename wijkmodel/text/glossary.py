"""The words of the dashboard that need a word of explanation, each in one sentence (B1): the one list
the help texts of the pages (`help=`) and the page Het model (Begrippen) take them from.

The app avoids harder words where a plain one does ("invuller", not "respondent"; "middelste waarde",
not "mediaan"). The words here remain because nothing plainer says the same: a name of the model
("totaalfase"), of a number the app computes ("thema's en basisfuncties samen"), or of a file format
that a colleague with the file must recognise ("GeoJSON", "WGS84", "RD New").
"""

from __future__ import annotations

COMBINED = "Thema's en basisfuncties samen"
"""The name of the combined index (docs/scoring.md): the weighted mean of the themes' mean and the basic
functions' mean."""

ANSWERED = "Deel beantwoord"
"""The name of a basic function's coverage: the share of its questions that have an answer."""

RANGE = "Laagste en hoogste"
"""The name of the spread: the lowest and the highest score of the people who filled in for a wijk."""

GLOSSARY: dict[str, str] = {
    "Fase": "Hoe ver een wijk is met wijkgericht werken, van fase 1 (start) tot fase 4; elke fase is 25 punten "
    "op de schaal van 0 tot 100.",
    "Totaalfase": "De fase van een wijk als geheel. Die komt uit de zes thema's, met de regel die de gemeente "
    "kiest op de pagina Instellingen.",
    "Totaalscore": "De score van een wijk als geheel, van 0 tot 100. Daaruit volgt de totaalfase.",
    COMBINED: "Eén score van 0 tot 100 voor de thema's en de basisfuncties samen: het gemiddelde van de thema's "
    "en het gemiddelde van de basisfuncties, elk met het gewicht van de pagina Instellingen.",
    ANSWERED: "Hoeveel vragen van een basisfunctie een antwoord hebben. Is dat minder dan de helft, dan is de "
    "score onzeker.",
    RANGE: "De laagste en de hoogste score van de mensen die voor een wijk invulden. Liggen ze ver uit elkaar, "
    "dan denken ze verschillend: bespreek dat.",
    "Invuller": "Iemand die voor een wijk de schuifjes of de vragen invult, met een rol (gemeente, lokaal team, "
    "samenwerkingspartner of inwoner/jeugd) en zonder naam.",
    "Gemeente als geheel": "De gemeente zelf, naast de wijken: met eigen schuifjes, een eigen Quickscan en de "
    "randvoorwaarden.",
    "Gesprekspunt": "Een thema en een basisfunctie die met elkaar te maken hebben, maar een fase (25 punten) of "
    "meer uit elkaar liggen: iets om samen over te praten.",
    "Kerncijfer": "Een cijfer over de inwoners van een wijk, bijvoorbeeld het aantal inwoners of het aantal "
    "jongeren met jeugdzorg, meestal van het CBS.",
    "Middelste waarde": "Zet u de waarden van alle wijken op volgorde, dan is dit de waarde in het midden: de helft "
    "van de wijken zit erboven, de andere helft eronder.",
    "GeoJSON": "Een soort bestand voor kaarten. Zo'n bestand bevat de grenzen van de wijken; u krijgt het van het "
    "CBS, PDOK of de afdeling die in uw gemeente de kaarten maakt.",
    "WGS84 en RD New": "Twee manieren om een plek op de kaart aan te geven: in graden (WGS84, lengte- en "
    "breedtegraad) of in meters (RD New, het Rijksdriehoekstelsel). wijkmodel leest ze allebei.",
}
"""Word → what it means, in one sentence or two; in the order the Begrippen list shows them."""


def explain(word: str) -> str:
    """The explanation of one word of `GLOSSARY` (a KeyError for a word that is not there: a typo fails)."""
    return GLOSSARY[word]
