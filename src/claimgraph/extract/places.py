"""Places: a curated gazetteer of names, demonyms and abbreviations keyed to ISO 3166-1.

pycountry's fuzzy search maps "EU" to Réunion and finds nothing for "Turkey",
so the alias table is our own. Each row: code, Wikidata id, then aliases
separated by ``|``: names first (the first is the display name), then
demonyms and adjectives after ``;``. Sub-national regions and cities that the
domain needs map to their country (Dagestan → RU; Raqqa → SY).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimgraph.extract.fastre import Folded, lowered

_TABLE = """
AF|Q889|Afghanistan|Afghan.;Afghan|Afghans|Afghani
AL|Q222|Albania;Albanian|Albanians
DZ|Q262|Algeria;Algerian|Algerians
AT|Q40|Austria;Austrian|Austrians
AU|Q408|Australia;Australian|Australians
AZ|Q227|Azerbaijan|Azer.;Azerbaijani|Azerbaijanis|Azeri|Azeris
BH|Q398|Bahrain;Bahraini|Bahrainis
BD|Q902|Bangladesh;Bangladeshi|Bangladeshis
BE|Q31|Belgium;Belgian|Belgians
BA|Q225|Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia;Bosnian|Bosnians
BG|Q219|Bulgaria;Bulgarian|Bulgarians
CA|Q16|Canada;Canadian|Canadians
CN|Q148|China;Chinese|Uyghur|Uyghurs|Uighur|Uighurs
DK|Q35|Denmark;Danish|Danes|Dane
EG|Q79|Egypt|Sinai;Egyptian|Egyptians
FI|Q33|Finland;Finnish|Finns
FR|Q142|France;French|Frenchmen|Frenchman
GE|Q230|Georgia;Georgian|Georgians
DE|Q183|Germany;German|Germans
GR|Q41|Greece;Greek|Greeks
IN|Q668|India;Indian|Indians
ID|Q252|Indonesia;Indonesian|Indonesians
IR|Q794|Iran;Iranian|Iranians
IQ|Q796|Iraq|Republic of Iraq|Mosul|Fallujah|Anbar|Baghdad|Tal Afar;Iraqi|Iraqis
IE|Q27|Ireland;Irish
IL|Q801|Israel;Israeli|Israelis
IT|Q38|Italy;Italian|Italians
JO|Q810|Jordan;Jordanian|Jordanians
KZ|Q232|Kazakhstan|Kazak.|Kazakh.;Kazakh|Kazakhs|Kazakhstani|Kazakhstanis
XK|Q1246|Kosovo;Kosovar|Kosovars|Kosovan|Kosovans
KW|Q817|Kuwait;Kuwaiti|Kuwaitis
KG|Q813|Kyrgyzstan|Kyrgy.|Kyrg.;Kyrgyz|Kyrgyzstani
LB|Q822|Lebanon;Lebanese
LY|Q1016|Libya|Sirte;Libyan|Libyans
MK|Q221|North Macedonia|Macedonia|Mac.;Macedonian|Macedonians
MY|Q833|Malaysia;Malaysian|Malaysians
MV|Q826|Maldives;Maldivian|Maldivians
MA|Q1028|Morocco;Moroccan|Moroccans
NL|Q55|Netherlands|the Netherlands|Holland|Neth.;Dutch
NZ|Q664|New Zealand;New Zealander|New Zealanders
NG|Q1033|Nigeria;Nigerian|Nigerians
NO|Q20|Norway;Norwegian|Norwegians
PK|Q843|Pakistan;Pakistani|Pakistanis
PS|Q219060|Palestine|Gaza|West Bank;Palestinian|Palestinians
PH|Q928|Philippines|the Philippines|Mindanao|Marawi;Filipino|Filipinos|Philippine
PT|Q45|Portugal;Portuguese
QA|Q846|Qatar;Qatari|Qataris
RU|Q159|Russia|Russian Federation|Dagestan|Daghestan|Chechnya|North Caucasus|Ingushetia;Russian|Russians|Dagestani|Dagestanis|Chechen|Chechens|North Caucasian|North Caucasians|Ingush
SA|Q851|Saudi Arabia|Saudi;Saudis|Saudi Arabian|Saudi Arabians
RS|Q403|Serbia;Serbian|Serbians|Serb|Serbs
SG|Q334|Singapore;Singaporean|Singaporeans
SO|Q1045|Somalia;Somali|Somalis
ES|Q29|Spain;Spanish|Spaniards|Spaniard
LK|Q854|Sri Lanka;Sri Lankan|Sri Lankans
SD|Q1049|Sudan;Sudanese
SE|Q34|Sweden;Swedish|Swedes
CH|Q39|Switzerland|Switz.;Swiss
SY|Q858|Syria|Syrian Arab Republic|Raqqa|Raqqah|Baghouz|Deir al-Zour|Deir ez-Zor|Idlib|Aleppo|Kobani|Manbij|al-Hol|Al Hol;Syrian|Syrians
TJ|Q863|Tajikistan|Tajik.;Tajik|Tajiks|Tajikistani
TT|Q754|Trinidad and Tobago|Trinidad;Trinidadian|Trinidadians
TN|Q948|Tunisia;Tunisian|Tunisians
TR|Q43|Turkey|Türkiye|Turkiye;Turkish|Turks
TM|Q874|Turkmenistan|Turkmen.;Turkmen|Turkmens
AE|Q878|United Arab Emirates|UAE;Emirati|Emiratis
GB|Q145|United Kingdom|the UK|UK|U.K.|Britain|Great Britain|England|Scotland|Wales;British|Britons|Briton|English|Scottish|Welsh
US|Q30|United States|United States of America|the US|US|U.S.|U.S.A.|USA|America;American|Americans|U.S.-born
UZ|Q265|Uzbekistan|Uzbek.;Uzbek|Uzbeks
YE|Q805|Yemen;Yemeni|Yemenis
AM|Q399|Armenia;Armenian|Armenians
AR|Q414|Argentina;Argentine|Argentines|Argentinian|Argentinians
BJ|Q962|Benin;Beninese
BF|Q965|Burkina Faso;Burkinabe|Burkinabé
BR|Q155|Brazil;Brazilian|Brazilians
BY|Q184|Belarus;Belarusian|Belarusians
CI|Q1008|Côte d'Ivoire|Cote d'Ivoire|Ivory Coast;Ivorian|Ivorians
CL|Q298|Chile;Chilean|Chileans
CM|Q1009|Cameroon;Cameroonian|Cameroonians
CO|Q739|Colombia;Colombian|Colombians
CY|Q229|Cyprus;Cypriot|Cypriots
CZ|Q213|Czech Republic|Czechia;Czech|Czechs
DJ|Q977|Djibouti;Djiboutian|Djiboutians
EE|Q191|Estonia;Estonian|Estonians
ER|Q986|Eritrea;Eritrean|Eritreans
ET|Q115|Ethiopia;Ethiopian|Ethiopians
GH|Q117|Ghana;Ghanaian|Ghanaians
GM|Q1005|The Gambia|Gambia;Gambian|Gambians
GY|Q734|Guyana;Guyanese
HR|Q224|Croatia;Croatian|Croatians|Croat|Croats
HU|Q28|Hungary;Hungarian|Hungarians
IS|Q189|Iceland;Icelandic|Icelander|Icelanders
JM|Q766|Jamaica;Jamaican|Jamaicans
JP|Q17|Japan;Japanese
KE|Q114|Kenya;Kenyan|Kenyans
KH|Q424|Cambodia;Cambodian|Cambodians
KR|Q884|South Korea|Republic of Korea;South Korean|South Koreans
LT|Q37|Lithuania;Lithuanian|Lithuanians
LU|Q32|Luxembourg;Luxembourger|Luxembourgers
LV|Q211|Latvia;Latvian|Latvians
MD|Q217|Moldova;Moldovan|Moldovans
ME|Q236|Montenegro;Montenegrin|Montenegrins
ML|Q912|Mali;Malian|Malians
MM|Q836|Myanmar|Burma;Burmese|Rohingya
MN|Q711|Mongolia;Mongolian|Mongolians
MR|Q1025|Mauritania;Mauritanian|Mauritanians
MT|Q233|Malta;Maltese
MX|Q96|Mexico;Mexican|Mexicans
MZ|Q1029|Mozambique;Mozambican|Mozambicans
NE|Q1032|Niger;Nigerien|Nigeriens
NP|Q837|Nepal;Nepali|Nepalis|Nepalese
OM|Q842|Oman;Omani|Omanis
PL|Q36|Poland;Polish|Pole|Poles
RO|Q218|Romania;Romanian|Romanians
SI|Q215|Slovenia;Slovenian|Slovenians|Slovene|Slovenes
SK|Q214|Slovakia;Slovak|Slovaks|Slovakian|Slovakians
SN|Q1041|Senegal;Senegalese
TD|Q657|Chad;Chadian|Chadians
TH|Q869|Thailand;Thai|Thais
TZ|Q924|Tanzania;Tanzanian|Tanzanians
UA|Q212|Ukraine;Ukrainian|Ukrainians
UG|Q1036|Uganda;Ugandan|Ugandans
VE|Q717|Venezuela;Venezuelan|Venezuelans
VN|Q881|Vietnam|Viet Nam;Vietnamese
ZA|Q258|South Africa;South African|South Africans
EU|Q458|European Union|EU|E.U.;EU citizens
EUROPE|Q46|Europe|Western Europe;European|Europeans
WORLD|Q2|the world|around the world|worldwide|across the world|the globe;
IQ+SY||Iraq and Syria|Syria and Iraq|Iraq and the Syrian Arab Republic|the Syrian Arab Republic and Iraq|Syria–Iraq|Iraq–Syria|Syria-Iraq|Iraq-Syria|Syria/Iraq|Iraq/Syria|Iraq or Syria|Syria or Iraq|Middle Euphrates River Valley|Euphrates River Valley;
"""


@dataclass(frozen=True)
class PlaceEntry:
    code: str
    wikidata: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a sentence: its code, where, and whether it was a demonym."""

    code: str
    start: int
    end: int
    text: str
    demonym: bool
    city: bool = False  # a city or district: where people are, never where they come from


def _parse_table() -> dict[str, PlaceEntry]:
    entries: dict[str, PlaceEntry] = {}
    for line in _TABLE.strip().splitlines():
        code, qid, rest = line.split("|", 2)
        names_part, _, demonym_part = rest.partition(";")
        names = tuple(n for n in names_part.split("|") if n)
        demonyms = tuple(d for d in demonym_part.split("|") if d)
        entries[code] = PlaceEntry(code, qid, names, demonyms)
    return entries


PLACES = _parse_table()
THEATRE = frozenset({"IQ", "SY", "IQ+SY"})  # the default destination of departures
CITIES = frozenset(
    {"mosul", "fallujah", "anbar", "baghdad", "tal afar", "sirte", "mindanao", "marawi", "raqqa", "raqqah", "baghouz",
     "deir al-zour", "deir ez-zor", "idlib", "aleppo", "kobani", "manbij", "al-hol", "al hol", "gaza", "west bank", "sinai",
     "middle euphrates river valley", "euphrates river valley"}
)  # fmt: skip


REGIONS = {
    "dagestan": "Dagestan", "daghestan": "Dagestan", "dagestani": "Dagestan", "dagestanis": "Dagestan",
    "chechnya": "Chechnya", "chechen": "Chechnya", "chechens": "Chechnya", "ingushetia": "Ingushetia", "ingush": "Ingushetia",
    "north caucasus": "North Caucasus", "north caucasian": "North Caucasus", "north caucasians": "North Caucasus",
    "england": "England", "scotland": "Scotland", "wales": "Wales", "scottish": "Scotland", "welsh": "Wales",
}  # fmt: skip  # sub-national regions of origin: counted as part of their country


def place_name(code: str) -> str:
    """Display name for a place code ("GB" → "United Kingdom"); the code itself when unknown."""
    entry = PLACES.get(code)
    return entry.names[0] if entry and entry.names else code


def wikidata_id(code: str) -> str:
    """Wikidata Q-id of a place code, or '' when not known."""
    entry = PLACES.get(code)
    return entry.wikidata if entry else ""


@lru_cache(maxsize=1)
def _alias_regex() -> tuple[Folded, dict[str, tuple[str, bool]]]:
    lookup: dict[str, tuple[str, bool]] = {}
    for entry in PLACES.values():
        for name in entry.names:
            lookup.setdefault(name.lower(), (entry.code, False))
        for demonym in entry.demonyms:
            lookup.setdefault(demonym.lower(), (entry.code, True))
    pattern = Folded(r"(?<![\w.-])" + _trie_pattern(list(lookup)))
    return pattern, lookup


def _trie_pattern(aliases: list[str]) -> str:
    """One regex for many aliases, shared prefixes factored out (much faster than a flat alternation).

    Longer aliases are tried before shorter ones they extend ("Saudi Arabia" before "Saudi");
    an alias must end at a word boundary unless it ends in '.' ("Tajik.").
    """
    trie: dict = {}
    for alias in aliases:
        node = trie
        for char in alias:
            node = node.setdefault(char, {})
        node[""] = alias.endswith(".")

    def build(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + build(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append("" if node[""] else r"(?![\w-])")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


_CASE_SENSITIVE = {
    "us", "uk", "eu", "uae", "usa", "mac.", "dane", "english", "georgia", "jordan", "chad", "turkey", "china", "chile", "polish",
    "pole", "poles", "niger", "guinea", "japan", "mali", "oman", "thai", "czech", "burma", "malta", "maltese",
}  # fmt: skip  # also ordinary words or names in lower case


_SPACES = re.compile(r"\s+")


def find_places(text: str) -> list[PlaceMention]:
    """Every place named in `text` (names, demonyms, abbreviations), left to right.

    >>> [(m.code, m.demonym) for m in find_places("3,400 Russians and the U.S. and Tajik. fighters")]
    [('RU', True), ('US', False), ('TJ', False)]
    """
    pattern, lookup = _alias_regex()
    mentions: list[PlaceMention] = []
    scan, subject = pattern.on(text, lowered(text))
    for match in scan.finditer(subject):
        raw = text[match.start() : match.end()]
        key = _SPACES.sub(" ", raw.lower())
        code, demonym = lookup[key]
        if key in _CASE_SENSITIVE and not raw[0].isupper():
            continue
        if key in {"us", "eu", "uk", "usa", "uae"} and raw != raw.upper():
            continue
        if key == "us" and _is_pronoun_us(text, match.start()):
            continue
        if key == "america" and re.search(r"\b(?:North|South|Latin|Central)\s+$", text[max(0, match.start() - 9) : match.start()]):
            continue  # "North America" is a continent
        if key in {"georgia", "jordan", "chad", "mali"} and _is_person_name(text, match.end()):
            continue
        mentions.append(PlaceMention(code, match.start(), match.end(), raw, demonym, key in CITIES))
    return mentions


def _is_pronoun_us(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].lower()
    return bool(re.search(r"\b(?:of|for|to|with|let|among|help|tell|told|give|gave)\s+$", before)) and not before.endswith("the ")


def _is_person_name(text: str, end: int) -> bool:
    return bool(re.match(r"\s+[A-Z][a-z]+", text[end : end + 20]))


def join_codes(codes: set[str] | list[str]) -> str:
    """Several place codes joined by '+' in code order ("SY", "IQ" → "IQ+SY")."""
    flat: set[str] = set()
    for code in codes:
        flat.update(code.split("+"))
    return "+".join(sorted(flat))
