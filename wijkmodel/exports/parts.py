"""The parts of a briefing a user can choose: for the deck, the report, Presenteren and the command line.

Light on purpose (no pandas, no plotly): the command line's parser reads `PARTS` for its help.
The slides of each part are built in wijkmodel.exports.briefing.
"""

from __future__ import annotations

from collections.abc import Collection

PARTS: dict[str, str] = {
    "totaalfase": "Totaalfase per wijk",
    "scores": "Scores per wijk in kleur (thema's en basisfuncties)",
    "scoretabellen": "Scores per wijk als tabel",
    "kaart": "Kaart van de wijken",
    "waar-beginnen": "Waar beginnen we? (kerncijfer en volwassenheid)",
    "voortgang": "Voortgang sinds de vorige ronde",
    "streefwaarden": "Afstand tot de streefwaarden",
    "kernkeuzes": "Kernkeuzes",
    "actieplan": "Actieplan",
    "perspectieven": "Verschillen tussen rollen",
    "randvoorwaarden": "Randvoorwaarden van de gemeente",
    "praktijk": "Beleid en praktijk (Quickscan en ZET)",
    "regio": "De regio: de gemeenten naast elkaar",
    "methode": "Hoe is dit berekend? (kort)",
    "profielen": "Bijlage: profiel van elke wijk",
    "uitleg": "Bijlage: de hele uitleg en de bronnen",
}
"""Every part: its key (for the command line) and its name in Dutch, in the order of the slides."""

DEFAULT_PARTS: tuple[str, ...] = (
    "totaalfase",
    "scores",
    "kaart",
    "waar-beginnen",
    "voortgang",
    "streefwaarden",
    "kernkeuzes",
    "actieplan",
    "methode",
)
"""What a steering group sees unless someone chooses otherwise: about a dozen slides."""

DEFAULT_WORD, ALL_WORD = "standaard", "alle"
"""On the command line: 'standaard' stands for DEFAULT_PARTS, 'alle' for every part."""


def chosen_parts(parts: Collection[str] | None) -> tuple[str, ...]:
    """The parts in slide order; None gives DEFAULT_PARTS. An unknown key or no part at all is an
    InputError in Dutch that names the unknown keys and the known ones."""
    if parts is None:
        return DEFAULT_PARTS
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        from wijkmodel.storage.inputs import InputError  # here: the parser imports this module, and stays light

        known = ", ".join(PARTS)
        if not parts:
            raise InputError([f"Kies minstens één onderdeel. Onderdelen: {known}."])
        raise InputError([f"Onderdeel '{p}' bestaat niet. Kies uit: {known}." for p in unknown])
    return tuple(key for key in PARTS if key in parts)


def parse_parts(text: str) -> tuple[str, ...]:
    """The parts of a text such as 'standaard,profielen' (command line): keys separated by commas,
    'standaard' for the default parts and 'alle' for every part. Unknown keys: InputError."""
    keys: list[str] = []
    for word in (w.strip().casefold() for w in text.split(",")):
        if word == DEFAULT_WORD:
            keys += DEFAULT_PARTS
        elif word == ALL_WORD:
            keys += PARTS
        elif word:
            keys.append(word)
    return chosen_parts(keys)
