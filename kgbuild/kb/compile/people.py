"""Politicians: EveryPolitician (26,000 legislators with Wikidata labels per language) and the current
US Congress (congress-legislators). Adds surnames (family name -> person, ranked low), given names (for
spotting unknown persons) and German transliterations of Russian-script names (Vladimir -> Wladimir).
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterable

from kgbuild.kb.compile.forms import FOOTBALL_CLUB, PARTY, age_bonus, short_forms
from kgbuild.kb.compile.model import KEEP_LANGS, Builder
from kgbuild.kb.compile.sources import read_csv, read_json, read_jsonl, read_yaml
from kgbuild.kb.gender import GENDER, first_name, first_name_genders, gender_of, of_description, value_of
from kgbuild.kb.person_names import person_names
from kgbuild.kb.translit import CYRILLIC_COUNTRIES, variant
from kgbuild.kb.years import BORN, DIED, year_of

_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
US_PARTIES = {"Democrat": "Q29552", "Republican": "Q29468"}
US_POSITIONS = {"sen": "Q4416090", "rep": "Q13218630"}  # United States senator / representative


def life_years(born, died) -> dict[str, list[str]]:
    """Claims ``P569`` / ``P570`` (years, ``kgbuild.kb.years``) of a source's dates of birth and death (an ISO
    date, a year or a list of them; several values are settled at the end of the compilation)."""
    claims: dict[str, list[str]] = {}
    for prop, values in ((BORN, born), (DIED, died)):
        for value in values if isinstance(values, list) else [values]:
            year = year_of(value)
            if year is not None:
                claims.setdefault(prop, []).append(str(year))
    return claims


def person_prior(sitelinks: int, base: float = 0.15) -> float:
    return base + 0.5 * min(1.0, math.log10(1 + sitelinks) / 2.2)


def with_gender(claims: dict, word: object) -> None:
    """Add the claim ``P21`` for a source's gender ("male", "F"; ``kgbuild.kb.gender``), if it gives one."""
    value = value_of(word) if word else None
    if value is not None:
        claims[GENDER] = [value]


def add_genders(b: Builder, fb15k_genders: Iterable[tuple[str, str]]) -> None:
    """Genders of the persons no source gave one (``kgbuild.kb.gender``): Freebase's (the FB15k extract's
    ``fb15k_genders``, (QID, Freebase gender node)), else a gendered word of the English description, else the
    first name of the label when the persons of known gender who bear it are all but one gender ("Richard")."""
    persons = {q: r for q, r in b.recs.items() if r.type == "PER"}
    for qid, node in fb15k_genders:
        rec = persons.get(qid)
        if rec is not None and not rec.claims.get(GENDER) and value_of(node) is not None:
            rec.claims[GENDER] = {value_of(node)}
            b.count("gender:fb15k")
    names = first_name_genders((first_name(r.labels.get("en") or r.labels.get("de") or ""), gender_of(r.claims) or "")
                               for r in persons.values())
    for rec in persons.values():
        if rec.claims.get(GENDER):
            continue
        found = of_description(rec.descriptions.get("en"))
        how = "description"
        if found is None:
            found = names.get(first_name(rec.labels.get("en") or rec.labels.get("de") or ""))
            how = "first name"
        if found is not None:
            rec.claims[GENDER] = {found}
            b.count(f"gender:{how}")
    b.count("gender:persons", sum(gender_of(r.claims) is not None for r in persons.values()))


def add_everypolitician(b: Builder, data: Path, iso2_qid: dict) -> None:
    folder = data / "everypolitician-2015"
    slug_iso = {c["slug"].replace("-", "_"): c["code"][:2] for c in read_json(folder / "countries.json.gz")}
    for row in read_jsonl(folder / "wikidata_persons.jsonl.gz"):
        qid = row.get("id") if str(row.get("id", "")).startswith("Q") else row.get("identifier__wikidata")
        if not qid:
            continue
        iso2 = slug_iso.get(row["_source_path"].split("/")[1])
        labels = {k[6:]: v for k, v in row.items() if k.startswith("name__") and k[6:] in KEEP_LANGS}
        names = [(v, "label", lang) for lang, v in labels.items()] + [(row.get("name", ""), "label", None)]
        sitelinks = [k for k in row if k.startswith("wikipedia__")]
        names += [(_PAREN.sub("", row[k]), "wikipedia", k[11:]) for k in sitelinks if k[11:] in KEEP_LANGS]
        main = labels.get("en") or labels.get("de") or row.get("name", "")
        derived, given = person_names(main, iso2, row.get("family_name"), row.get("given_name"))
        if row.get("name__ru") and iso2 in CYRILLIC_COUNTRIES:
            tv = variant(row["name__ru"], None)
            if tv:
                derived.append((tv, "transliteration", "de"))
                given.add(tv.split()[0])
        if row.get("name__ru"):  # the German spelling of the Russian first name ("Юрий" -> "Juri")
            tv = variant(row["name__ru"], None)
            if tv and len(tv.split()) >= 2:
                given.add(tv.split()[0])
        b.given_names.update(given)
        country = iso2_qid.get(iso2)
        claims = life_years(row.get("birth_date"), row.get("death_date"))
        if country:
            claims["P27"] = [country]
        with_gender(claims, row.get("gender"))
        b.add(qid, "everypolitician-2015", "PER", person_prior(len(sitelinks)), force=True, names=names + derived,
              labels=labels, classes={"Q5"}, claims=claims,
              descriptions={"en": f"politician ({row['_source_path'].split('/')[1].replace('_', ' ')})"})
        b.count("everypolitician-2015")


def add_congress(b: Builder, data: Path) -> None:
    for m in read_yaml(data / "congress-legislators" / "legislators-current.yaml.gz"):
        qid = m.get("id", {}).get("wikidata")
        if not qid:
            continue
        n = m["name"]
        full = n.get("official_full") or f"{n['first']} {n['last']}"
        names = [(full, "label", "en"), (f"{n['first']} {n['last']}", "alias", "en"), (n["last"], "surname", None)]
        if n.get("nickname"):
            names.append((f"{n['nickname']} {n['last']}", "alias", "en"))
        if m["id"].get("wikipedia"):
            names.append((_PAREN.sub("", m["id"]["wikipedia"]), "wikipedia", "en"))
        terms = m.get("terms", [])
        party = US_PARTIES.get(terms[-1].get("party")) if terms else None
        claims = {"P27": ["Q30"], "P39": sorted({US_POSITIONS[t["type"]] for t in terms if t.get("type") in US_POSITIONS}),
                  **life_years((m.get("bio") or {}).get("birthday"), None)}
        if party:
            claims["P102"] = [party]
        with_gender(claims, (m.get("bio") or {}).get("gender"))
        b.given_names.update(x for x in (n.get("first"), n.get("nickname")) if x)
        b.add(qid, "congress-legislators", "PER", 0.35 + 0.02 * min(len(terms), 10), force=True, names=names,
              labels={"en": full}, classes={"Q5"}, claims=claims,
              descriptions={"en": "member of the United States Congress"})
        b.count("congress-legislators")


def add_openparliament(b: Builder, data: Path) -> None:
    """German federal politicians since 1949 (OpenParliamentTV, a Wikidata query result): members of the
    Bundestag, federal ministers, Bundesrat members and state premiers. Those who speak in the Bundestag
    without a seat (ministers, premiers) and the living rank above former backbenchers."""
    folder = data / "openparliamenttv-de"
    for row in read_jsonl(folder / "persons.jsonl.gz"):
        qid, label = row.get("id"), row.get("label_de")
        if not qid or not label:
            continue
        names = [(label, "label", "de"), (label, "label", "en")]
        for alias in row.get("aliases_de") or ():
            if len(alias.split()) == 1 and alias != label.split()[-1]:
                continue  # one-word aliases other than the surname: nicknames, maiden names
            names.append((alias, "surname" if len(alias.split()) == 1 else "alias", "de"))
        derived, given = person_names(label, "DE")
        b.given_names.update(given)
        speaker = "otherSpeaker" in (row.get("roles") or ())
        prior = 0.3 + (0.15 if speaker else 0.0) + (0.05 if not row.get("death_date") else 0.0) \
            + 0.03 * bool(row.get("aliases_de"))
        claims = {"P27": ["Q183"], **life_years(row.get("birth_date"), row.get("death_date"))}
        if row.get("parties"):
            claims["P102"] = list(row["parties"])
        with_gender(claims, row.get("gender"))
        b.add(qid, "openparliamenttv-de", "PER", prior, force=True, names=names + derived,
              labels={"de": label, "en": label}, classes={"Q5"}, claims=claims,
              descriptions={"de": row.get("description_de")})
        b.count("openparliamenttv-de:persons")
    for row in read_jsonl(folder / "parties_factions.jsonl.gz"):
        if row.get("type") != "party" or not row.get("label_de"):
            continue  # factions (Fraktionen) are groups of a parliament, not organisations news name apart
        pnames: list[tuple[str, str, str | None]] = [(row["label_de"], "label", "de")]
        pnames += [(a, "short" if a.isupper() else "alias", None if a.isupper() else "de") for a in row.get("aliases_de") or ()]
        b.add(row["id"], "openparliamenttv-de", "ORG", 0.3 + age_bonus(row["id"], 0.2), names=pnames,
              labels={"de": row["label_de"]}, classes={PARTY}, claims={"P17": ["Q183"]},
              descriptions={"de": row.get("description_de")})
        b.count("openparliamenttv-de:parties")


def add_football(b: Builder, data: Path) -> None:
    """Football players and their clubs (a Wikidata query result): players rank low (a selection with
    incomplete career data); clubs rank below places of the same name (see ``club_prior``)."""
    clubs: dict[str, str] = {}
    for row in read_csv(data / "wikidata-football-players-clubs" / "stale_entries.csv.gz"):
        pq, name = row.get("player_qid", ""), row.get("player_name", "")
        if pq and name and name != pq:
            derived, given = person_names(name, None)
            b.given_names.update(given)
            b.add(pq, "wikidata-football-players-clubs", "PER", 0.15 + age_bonus(pq, 0.15),
                  names=[(name, "label", "en")] + derived, labels={"en": name}, classes={"Q5"},
                  claims={"P54": [row["team_qid"]]} if row.get("team_qid") else None,
                  descriptions={"en": "association football player"})
        if row.get("team_qid") and row.get("team_name") and row["team_name"] != row["team_qid"]:
            clubs[row["team_qid"]] = row["team_name"]
    for qid, name in clubs.items():
        names = [(name, "label", "en")]
        for form in short_forms(name, club=True):
            b.add_short(qid, form, None)
        b.add(qid, "wikidata-football-players-clubs", "ORG", club_prior(qid), names=names, labels={"en": name},
              classes={FOOTBALL_CLUB}, descriptions={"en": "association football club"})
        b.count("wikidata-football-players-clubs:clubs")
    b.count("wikidata-football-players-clubs:players", len({q for q, r in b.recs.items()
                                                             if "wikidata-football-players-clubs" in r.sources} - set(clubs)))


def club_prior(qid: str) -> float:
    """Sports clubs: older items are the big clubs (Q15789 FC Bayern, Q18656 Manchester United)."""
    return 0.2 + age_bonus(qid, 0.25)
