"""Popular entities (FB15k-237 mapped to Wikidata): 14,500 frequently linked persons, places, organisations,
works and events. The source has no type, so the type comes from the English description ("American
actor" -> PER, "English association football club" -> ORG, "city in Bavaria, Germany" -> LOC, "2002 film
by ..." -> MISC); general concepts (professions, genres, degrees, offices, labels in lower case) are left
out, as are works (films, series, albums: their titles are ordinary words) and anything the description
does not type.
"""
from __future__ import annotations

import re
from pathlib import Path

import simplemma

from kgbuild.kb.compile.forms import (
    COMPANY,
    FOOTBALL_CLUB,
    NEWSPAPER,
    PARTY,
    SPORTS_CLUB,
    UNIVERSITY,
    age_bonus,
    common_word,
    short_forms,
)
from kgbuild.kb.compile.model import Builder
from kgbuild.kb.compile.sources import read_jsonl
from kgbuild.kb.normalize import norm_key
from kgbuild.kb.person_names import person_names

_CONCEPT = re.compile(
    r"\b(genre|profession|occupation|musical instrument|instrument|academic degree|degree|language|dialect|"
    r"chemical compound|compound|disease|ethnic group|religion|type of|style of|field of|branch of|form of|"
    r"family of|class of|unit of|holiday|concept|"
    r"discipline|technique|philosophy|ideology|movement|sport|taxon|species|breed|dish|food|drink|cuisine|"
    r"nationality|demonym|people of|citizens of|award category|category)\b"
    r"|^(the |an? )?(head of|office|position|title|rank|post|person who|governor of|minister|official|officer|"
    r"ceremonial officer|"
    r"senior civil servant|cabinet member|vice-regal|member of)\b|(?<!in )\boffice\b", re.I)
_WORK = re.compile(
    r"\b(film|movie|series|sitcom|miniseries|album|song|single|video game|game|novel|musical|opera|episode|"
    r"programme|program|show|play|book|edition|ceremony|soundtrack|franchise|comic|manga|anime)\b"
    r"(\s+(by|directed by|created by|starring|from|of|based on|written by)\b.*)?$", re.I)
_PER = re.compile(
    r"\b(actor|actress|singer|songwriter|singer-songwriter|musician|rapper|composer|conductor|pianist|guitarist|"
    r"drummer|bassist|violinist|dancer|choreographer|director|filmmaker|producer|screenwriter|writer|author|"
    r"novelist|poet|playwright|journalist|editor|critic|comedian|presenter|model|artist|painter|sculptor|"
    r"photographer|designer|architect|cinematographer|animator|illustrator|cartoonist|politician|president|"
    r"diplomat|lawyer|judge|businessman|businesswoman|business executive|entrepreneur|philanthropist|activist|"
    r"scientist|physicist|chemist|biologist|mathematician|economist|philosopher|historian|psychologist|"
    r"physician|surgeon|engineer|inventor|astronaut|soldier|admiral|king|queen|emperor|empress|prince|"
    r"princess|monarch|pope|bishop|saint|footballer|player|athlete|boxer|wrestler|coach|swimmer|cyclist|"
    r"golfer|racing driver|jockey|skater|skier|sprinter|personality|socialite|nobleman|aristocrat|explorer|"
    r"aviator|sociologist|theologian|stuntman|magician|chef|disc jockey|teacher|professor|academic|"
    r"researcher|astronomer|mayor|governor|senator|statesman|stateswoman|revolutionary|dictator|lyricist|"
    r"vocalist|entertainer|performer|anchor|commentator|pundit|novelist|biographer|essayist|screenwriter|"
    r"prime minister|minister|secretary of state|chancellor|general(?=\s+(?:in|of)\b)|"
    r"officer(?=\s*(?:$|[,;(]|(?:and|during|in|of|who|from|with)\b))|chairman|"
    r"chairwoman|(?:general |first )?secretary(?=\s+of\s+the\s+(?:[\w'’-]+\s+){1,3}party\b)|"
    r"(?:son|daughter|wife|husband|widow)(?=\s+of\b))s?\b",
    re.I)
#: a capitalised person word that is part of a proper name in the description: followed by another capitalised
#: word ("King County", "Saint Paul", "Queen Elizabeth II", "Revolutionary War") or after "in"/"of"/"near"/"at"
#: ("airport in Queens"); "President of the United States" and "American Musician" still say PER
_NAME_AFTER = re.compile(r"\s+[A-Z]")


def _in_proper_name(description: str, match: re.Match) -> bool:
    if not description[match.start()].isupper():
        return False
    before = description[:match.start()].rstrip().rsplit(" ", 1)[-1].lower() if match.start() else ""
    return bool(_NAME_AFTER.match(description, match.end())) or before in ("in", "of", "near", "at", "the")
#: a war or battle ("multi-party war in the former Russian Empire", "War by Spain ... against the French Empire"):
#: an event, whatever states its description names
_EVENT_HEAD = re.compile(r"^(?:[\w()-]+\s+){0,3}?(war|battle|conflict|revolution|uprising|siege|invasion)\b", re.I)
#: a former state: a state word among the first words and a period or "former" ("empire in Central Europe between
#: 1871–1918", "former country, 1721–1917", "constitutional monarchic union from 1867 to October 1918"), or a
#: country in a period ("Germany in the years 1918/1919-1933")
_FORMER_STATE = re.compile(
    r"^(?:[\w()-]+\s+){0,3}?(empire|monarchy|kingdom|republic|state|country|nation|union|confederation|confederacy|"
    r"reich|principality|duchy|electorate|caliphate|sultanate|khanate|dominion)\b"
    r"|^[A-Z][a-z]+ in the (?:years|age|period)\b", re.I)
_PERIOD = re.compile(r"\b\d{3,4}\s*(?:[–-]|/\d{4}\s*[–-]|\s+to\s+|\s+and\s+)\s*(?:[A-Za-z]+\s+)?\d{3,4}\b|\bformer\b", re.I)
_ORG = re.compile(
    r"\b(club|team|university|college|school|company|corporation|conglomerate|band|group|duo|trio|label|party|"
    r"organization|organisation|agency|network|channel|broadcaster|newspaper|magazine|studio|studios|league|"
    r"association|federation|institute|academy|conservatory|airline|manufacturer|publisher|department|"
    r"ministry|forces|army|navy|air force|pictures|records|brand|retailer|bank|orchestra|choir|franchise|"
    r"foundation|charity|union|alliance|commission|court|parliament|legislature|congress)\b", re.I)
_LOC = re.compile(
    r"\b(city|town|village|hamlet|county|state|country|island|islands|archipelago|capital|borough|"
    r"municipality|province|region|district|river|mountain|lake|comune|commune|neighborhood|neighbourhood|"
    r"suburb|territory|prefecture|census-designated place|metropolitan area|peninsula|continent|sea|ocean|"
    r"bay|oblast|canton|emirate|republic|kingdom|desert|valley|street|avenue|square|park|airport|stadium|"
    r"arena|bridge|building|palace|castle|cathedral|church|museum|place|area|settlement|federal subject)\b",
    re.I)
_EVENT = re.compile(r"\b(war|battle|revolution|olympics|olympic games|championship|championships|cup|festival|"
                    r"election|award|prize|tournament|games|conflict|crisis|disaster|attack|treaty|"
                    r"agreement|summit|world series|super bowl)\b", re.I)
_ORG_CLASS = (
    (re.compile(r"\bfootball club\b|\bsoccer club\b", re.I), FOOTBALL_CLUB),
    (re.compile(r"\b(sports club|sports team|club|team)\b", re.I), SPORTS_CLUB),
    (re.compile(r"\bpolitical party\b", re.I), PARTY),
    (re.compile(r"\b(university|college|institute of technology)\b", re.I), UNIVERSITY),
    (re.compile(r"\bnewspaper\b", re.I), NEWSPAPER),
    (re.compile(r"\b(company|corporation|conglomerate|manufacturer|retailer|airline|bank|record label)\b", re.I),
     COMPANY),
)
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")


#: labels of offices ("United States Secretary of State", "Governor of Massachusetts"): positions, not entities
_OFFICE = re.compile(r"^(United States |U\.S\. |Prime |Vice |Deputy |First )?(Secretary|Minister|President|Governor|"
                     r"Chancellor|Attorney General|Speaker|Mayor|Senator|Member|Chief Justice|Ambassador)\b.*\bof\b")


def entity_type(label: str, description: str) -> str | None:
    """PER/LOC/ORG/MISC from an English Wikidata description, None for a concept or an untyped row."""
    if not label or label[0].islower() or not description or _CONCEPT.search(description) or _OFFICE.search(label):
        return None
    if _WORK.search(description):
        return "MISC"
    person = any(not _in_proper_name(description, m) for m in _PER.finditer(description))
    if person and not re.search(r"(?<!\bof the )\b(club|team|band|group|company|league)\b(?! leader)", description, re.I):
        return "PER"
    if _EVENT_HEAD.search(description):
        return "MISC"
    if _FORMER_STATE.search(description) and _PERIOD.search(description):
        return "LOC"  # historic states: German Empire, Austria-Hungary, Weimar Republic
    if _ORG.search(description):
        return "ORG"
    if _LOC.search(description):
        return "LOC"
    if _EVENT.search(description):
        return "MISC"
    return None


def _org_classes(description: str) -> set[str]:
    for pattern, cls in _ORG_CLASS:
        if pattern.search(description):
            return {cls}
    return set()


#: a campus of a university system: "University of California, San Francisco" (not "University at Buffalo, The State
#: University of New York", whose first part is its own short name)
_CAMPUS = re.compile(r"^(University of [^,]+), (?!The\b)[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}$")


def _campus_system(alias: str, label: str) -> bool:
    """Whether ``alias`` is the name of the university system ``label`` is a campus of ("University of California"
    of "University of California, San Francisco"): the system's name, not the campus's."""
    m = _CAMPUS.match(label)
    return m is not None and alias.strip() == m.group(1)


def _keep_alias(alias: str, label: str, etype: str, classes: set[str]) -> bool:
    """Several-word aliases; one-word ones only when they are acronyms, a word of a person's or an
    organisation's label ("Labour" of "Labour Party"), or a party's nickname ("Tories"): one-word nicknames
    of people ("Venus" for Lady Gaga) and parts of place names ("Atlantic") are not names news use alone."""
    if len(alias.split()) >= 2:
        if _campus_system(alias, label):
            return False
        # a piece from the middle of the label is a generic head ("Air Force" of "United States Air Force
        # Academy"); a leading or trailing part is the short name ("Manchester United", "Bayern Munich")
        words, parts = label.lower().split(), alias.lower().split()
        inner = any(words[i:i + len(parts)] == parts for i in range(1, len(words) - len(parts)))
        return not inner or etype == "PER"
    if alias.isupper() and len(alias) >= 2:
        # "IN" (Indiana) is a function word, not an acronym in running text; "M.I.T." is unmistakable
        return "." in alias or not common_word(alias)
    if etype in ("PER", "ORG") and alias.lower() in label.lower().split():
        return True  # "Labour" of "Labour Party"; not "Atlantic" of "Atlantic Ocean"
    return etype == "ORG" and PARTY in classes


#: descriptions of towns and cities (FB15k): their one-word aliases are the names of the place in other languages or
#: of former times ("Helsingfors", "Lemberg", "Stettin", "Kovno")
_SETTLEMENT = re.compile(r"\b(city|town|capital|municipality|commune)\b", re.I)


#: articles that begin a city's name, which its short name leaves out ("Las Vegas" -> "Vegas", "Los Angeles")
_ARTICLES = frozenset("las los la le les el il the".split())


def _other_city_name(alias: str, label: str) -> bool:
    """A one-word alias of a city that is another name of it or its name without the article ("Vegas" of Las
    Vegas), not any other piece of its label ("Stoke" of Stoke-on-Trent,
    "Hemel") nor a word made from it ("Lisboners", "Vancouverites"), an abbreviation or nickname spelt short ("Lex",
    "Bkly", "Ebor."), a common word or in another script."""
    words = norm_key(label).split()
    after_article = len(words) == 2 and words[0] in _ARTICLES and norm_key(alias) == words[1]  # "Vegas"
    return (len(alias.split()) == 1 and len(alias) >= 5 and alias.isalpha() and alias[:1].isupper()
            and not alias.isupper() and (after_article or norm_key(alias) not in words)
            and not norm_key(label).startswith(norm_key(alias)) and not norm_key(alias).startswith(norm_key(label))
            and not common_word(alias)
            and not re.search(r"[^\x00-\u024f]", alias))


def _team_nickname(alias: str, label: str) -> bool:
    """A one-word alias of a football club or team that is a name of its own ("Gunners" of Arsenal, "Spurs",
    "Oranje" of the Dutch national team), not a word of its label (those are short forms already), an
    abbreviation spelt short ("Samp"), a lower-case word, a word of another script, or an English word other than
    a plural ("Sporting", "Phobia": ordinary words; a plural such as "Gunners" is spotted only as "the Gunners",
    ``kgbuild.mentions.spot_kb``)."""
    word = alias.lower()
    return (len(alias.split()) == 1 and len(alias) >= 5 and alias.isalpha() and alias[:1].isupper()
            and not alias.isupper() and norm_key(alias) not in norm_key(label).split()
            and not common_word(alias) and not re.search(r"[^\x00-\u024f]", alias)
            and (not simplemma.is_known(word, "en") or word.endswith("s") and simplemma.lemmatize(word, "en") != word))


#: first words of university names that say what kind of university it is, not which ("Technical University of
#: Munich", "Free University of Berlin"): without them the rest names another university or none
_KIND_WORDS = frozenset("""technical national international federal state royal central general free open catholic
    polytechnic medical agricultural american european imperial pontifical metropolitan public private new old
    city capital islamic hebrew christian""".split())


def _university_of_place(label: str) -> bool:
    """A university's name of one own word before "University of <place>" ("Sapienza University of Rome"): news
    write "University of Rome" (added only where no other entity has that name: "University of Munich" is
    claimed by two and so by neither)."""
    words = label.split()
    return len(words) >= 4 and words[1:3] == ["University", "of"] and words[0].isalpha() \
        and words[0][:1].isupper() and words[0].lower() not in _KIND_WORDS


#: descriptions of association football clubs and teams (their nicknames are FB15k aliases: "Gunners", "Oranje");
#: not of baseball or basketball teams, whose aliases are mostly their former names ("Colts", "Orphans")
_FOOTBALL = re.compile(r"\b(football|soccer)\b", re.I)


def add_fb15k(b: Builder, data: Path) -> None:
    for row in read_jsonl(data / "fb15k237-entity2wikidata" / "fb15k_entity2wikidata.jsonl.gz"):
        qid, label, desc = row.get("wikidata", ""), row.get("label", ""), row.get("description", "")
        etype = entity_type(label, desc)
        known = b.get(qid)
        if etype is None:
            b.count("fb15k237-entity2wikidata:skipped")
            continue
        if etype == "MISC" and (_WORK.search(desc) or len(label.split()) < 2):
            b.count("fb15k237-entity2wikidata:skipped")
            continue  # films, series, albums: titles are ordinary words ("Heat", "Air Force"), rarely news entities
        classes = _org_classes(desc) if etype == "ORG" else ({"Q5"} if etype == "PER" else set())
        names = [(label, "label", "en")]
        if row.get("wikipedia"):
            title = row["wikipedia"].rsplit("/wiki/", 1)[-1].replace("_", " ")
            if "%" not in title:
                names.append((_PAREN.sub("", title), "wikipedia", "en"))
        names += [(a, "alias", "en") for a in row.get("aliases", ())
                  if _keep_alias(a, label, etype, classes) and not re.search(r"[^\x00-\u024f\s]", a)]
        if etype == "PER":
            derived, given = person_names(label, None)
            names += derived
            b.given_names.update(given)
        if etype == "ORG":
            for form in short_forms(label, club=bool(classes & {FOOTBALL_CLUB, SPORTS_CLUB})):
                b.add_short(qid, form, None)
            if classes & {FOOTBALL_CLUB, SPORTS_CLUB} and _FOOTBALL.search(desc):
                for alias in row.get("aliases", ()):
                    if _team_nickname(alias, label):
                        b.add_short(qid, alias, None, strict=True)  # "Gunners": if no other entity's name or surname
            if UNIVERSITY in classes and _university_of_place(label):
                b.add_short(qid, label.split(" ", 1)[1], None, strict=True)  # "University of Rome" of Sapienza ...
        if etype == "LOC" and _SETTLEMENT.search(desc):
            for alias in row.get("aliases", ()):
                if _other_city_name(alias, label):
                    b.add_short(qid, alias, None, strict=True)  # "Helsingfors", "Lemberg": if no other entity's
        # persons 0.3-0.55: below current office holders of the politician lists (Congress, curated leaders)
        prior = {"PER": 0.3, "LOC": 0.3, "ORG": 0.3, "MISC": 0.2}[etype] + age_bonus(qid, 0.25 if etype == "PER" else 0.3)
        b.add(qid, "fb15k237-entity2wikidata", etype if known is None or known.type == "MISC" else None, prior,
              names=names, labels={"en": label}, classes=classes if known is None or known.type == etype else set(),
              descriptions={"en": desc})
        b.count("fb15k237-entity2wikidata")
