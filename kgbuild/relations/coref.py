"""Coreference inside one article: pronouns, role nouns and metonyms -> the named entity they stand for.

In: the spaCy ``Doc``, its sentences and the linked mentions. Out: extra ``Mention``s with ``source="coref"``
and ``kind="coref"`` whose ``entity_key`` is the antecedent's, so that the relation extractors attach what is
said through them to the right node, and the RDF writer keeps them in the NIF layer with ``kg:antecedent``.

- Role nouns: "die Außenministerin", "dem Präsidenten", "the new foreign secretary" -> the person last
  introduced with that role next to their name ("Bundesaußenministerin Annalena Baerbock",
  "Frankreichs Präsident Emmanuel Macron", "appointed David Lammy as foreign secretary").
- Person and organisation nouns: "der SPD-Politiker", "the American journalist", "the agency" -> the person
  (organisation) last named in an earlier sentence.
- Metonyms: "der Kreml", "the Kremlin" -> Russia, when the article names it.
- Object pronouns: "ihn", "ihm", "him" -> the person named before in the sentence (not its subject), else in the
  previous sentence.

Subject pronouns ("er", "sie", "he", "she") stay with the extractors' own discourse rule (``DocContext.actor_before``).
Everything is windowed by sentence (at most three sentences back), so the work is linear in the text length.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from spacy.tokens import Doc, Token

from kgbuild.kb.classes import org_class
from kgbuild.lexicon import find_role, lemma
from kgbuild.nlp import doc_text
from kgbuild.types import Mention, Sentence

DETERMINERS = {"de": {"der", "die", "das", "dem", "den", "des", "dessen", "deren"}, "en": {"the"}}
#: nouns for a person that is not an office: they refer back to the last person named
PERSON_NOUNS = {
    "de": ("politiker", "politikerin", "journalist", "journalistin", "journalisten", "reporter", "reporterin",
           "staatsbürger", "staatsbürgerin", "kandidat", "kandidatin", "konservative", "konservativen",
           "jährige", "jährigen", "diplomat", "diplomatin", "diplomaten", "korrespondent", "korrespondentin"),
    "en": ("journalist", "reporter", "politician", "citizen", "candidate", "lawmaker", "diplomat", "correspondent",
           "conservative", "veteran"),
}
#: nouns for an organisation: they refer back to the last organisation named whose finer class (``kgbuild.kb.classes``)
#: the noun admits ("the paper" is no party); an organisation without a known finer class fits every noun
_MEDIA, _PARTY, _COMPANY = frozenset({"MediaOrganisation"}), frozenset({"PoliticalParty"}), frozenset({"Company", "MediaOrganisation"})
_AGENCY = frozenset({"GovernmentAgency", "MediaOrganisation", "InternationalOrganisation"})
_ALLIANCE = frozenset({"InternationalOrganisation", "PoliticalParty"})
ORG_NOUNS: dict[str, dict[str, frozenset[str] | None]] = {
    "de": {"behörde": _AGENCY, "behörden": _AGENCY, "agentur": _AGENCY, "zeitung": _MEDIA, "blatt": _MEDIA,
           "konzern": _COMPANY, "unternehmen": _COMPANY, "partei": _PARTY, "bündnis": _ALLIANCE, "allianz": _ALLIANCE},
    "en": {"agency": _AGENCY, "newspaper": _MEDIA, "paper": _MEDIA, "company": _COMPANY, "party": _PARTY,
           "alliance": _ALLIANCE, "firm": _COMPANY, "group": None},
}
#: nouns for a country: they refer back to the last country named (in the sentence or before)
PLACE_NOUNS = {"de": ("land", "nachbarland", "staat", "nachbarstaat"), "en": ("country", "nation")}
COUNTRY_CLASSES = {"Q6256", "Q3624078", "Q7275"}
#: seats of power named for their country's government
METONYMS = {"kreml": "Q159", "kremlin": "Q159"}
OBJECT_PRONOUNS = {"de": {"ihn", "ihm"}, "en": {"him"}}
MAX_BACK = 3  # sentences


def resolve_coreference(doc: Doc, sentences: Sequence[Sentence], mentions: Sequence[Mention], lang: str,
                        kb: Any = None) -> list[Mention]:
    """The coreferent mentions of one article (sorted by position); the named mentions are not changed."""
    if lang not in DETERMINERS:
        return []
    named = sorted((m for m in mentions if m.entity_key), key=lambda m: m.start)
    by_sentence: dict[int, list[Mention]] = {}
    for m in named:
        by_sentence.setdefault(m.sentence, []).append(m)
    keys = {}
    for m in named:  # entity key -> its first named mention
        keys.setdefault(m.entity_key, m)
    roles: dict[str, Mention] = {}  # role gloss -> the person last introduced with it
    out: list[Mention] = []
    text = doc_text(doc)  # built once per document: Doc.text joins every token each time it is read
    for i, sentence in enumerate(sentences):
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None:
            continue
        here = by_sentence.get(i, [])
        taken = [(m.start, m.end) for m in here]
        for tok in span:
            tok_end = tok.idx + len(tok.text)
            # a name before the hyphen of a compound ("die Grünen-Politikerin", "die CDU-Politikerin") leaves the
            # word to its head noun
            if any(s <= tok.idx < e and not (e < tok_end and text[e] in "-⸗=") for s, e in taken):
                continue
            found = _resolve(doc, tok, lang, i, here, by_sentence, roles, keys, named, kb)
            if found is not None:
                start, ant = found
                end = tok.idx + len(tok.text)
                out.append(Mention(start=start, end=end, text=text[start:end], type=ant.type, source="coref",
                                   sentence=i, kind="coref", entity_key=ant.entity_key, confidence=0.6))
                taken.append((start, end))
        _learn_roles(doc, span, lang, here, roles, text)
    return out


def _head_form(tok: Token) -> str:
    return tok.text.lower().rsplit("-", 1)[-1]


def _np_start(doc: Doc, tok: Token, lang: str) -> int | None:
    """The determiner opening the noun phrase that ``tok`` heads ("die neue Außenministerin", "the agency"),
    with at most four modifiers between; None without one."""
    dets = DETERMINERS[lang]
    for i in range(tok.i - 1, max(tok.i - 6, -1), -1):
        word = doc[i]
        if word.lower_ in dets:
            return i
        if word.is_punct or (word.text[:1].isupper() and lang == "en" and word.i != tok.i - 1 and not word.is_sent_start):
            return None
        if lang == "de" and word.text[:1].isupper() and not word.is_sent_start and word.lower_ != "jahre":
            return None
    return None


def _followed_by_name(doc: Doc, tok: Token, here: list[Mention], genitive: bool = True) -> bool:
    """A title or apposition: "Präsident Emmanuel Macron", "die Zeitung „Nowaja Gaseta“", and with ``genitive``
    an office: "Präsident Frankreichs", "der Präsident der USA"."""
    between = ('"', "„", "“", "'") + (("of", "der", "des", "the") if genitive else ())
    for j in range(tok.i + 1, min(tok.i + 4, len(doc))):
        nxt = doc[j]
        if any(m.start <= nxt.idx < m.end for m in here):
            return True
        if nxt.text not in between:
            return False
    return False


def _resolve(doc, tok, lang, sent, here, by_sentence, roles, keys, named, kb=None):
    low = tok.lower_
    if low in METONYMS and tok.text[:1].isupper():
        country = METONYMS[low]
        if country in keys:
            ant = keys[country]
            start = doc[tok.i - 1].idx if tok.i > 0 and doc[tok.i - 1].lower_ in DETERMINERS[lang] else tok.idx
            return start, ant
        return None
    if low in OBJECT_PRONOUNS[lang]:
        people = [m for m in here if m.type == "PER" and m.end <= tok.idx]
        if len(people) >= 2 or (people and people[0].entity_key != (_first_person(here) or people[0]).entity_key):
            return tok.idx, people[-1]
        prev = _earlier(by_sentence, sent, "PER")
        if prev is not None and not (people and people[0].entity_key == prev.entity_key):
            return tok.idx, prev
        return None
    if not tok.text[:1].isalpha():
        return None
    start = _np_start(doc, tok, lang)
    if start is None or _followed_by_name(doc, tok, here, genitive=False):
        return None
    head = _head_form(tok)
    if _apposition(doc, start, here):
        return None  # "Schneider, die Sprecherin des Verbands": it says who Schneider is, and points back to no one
    role = find_role(tok.text, lemma(tok, lang), lang)
    if lang == "en" and tok.i > 0:
        role = find_role(f"{doc[tok.i - 1].lower_} {low}", "", lang) or role
    if role is not None:
        if _followed_by_name(doc, tok, here):
            return None
        ant = roles.get(role.gloss) or _by_suffix(roles, (f"{doc[tok.i - 1].lower_} {low}" if lang == "en" else low))
        return (doc[start].idx, ant) if ant is not None and ant.sentence < sent + 1 else None
    if head in PLACE_NOUNS[lang]:
        return _country_before(doc, tok, sent, here, by_sentence, kb, start)
    if any(head == n or (lang == "de" and head.endswith(n) and len(n) >= 6) for n in PERSON_NOUNS[lang]):
        party = _party_before_hyphen(tok, here, kb)
        ant = None
        if party is not None:  # "die CDU-Politikerin": a member of that party first, never one of another party
            ant = _earlier(by_sentence, sent, "PER", lambda m: party in _parties(kb, m)) \
                or _earlier(by_sentence, sent, "PER", lambda m: not _parties(kb, m))
        else:
            ant = _earlier(by_sentence, sent, "PER")
        return (doc[start].idx, ant) if ant is not None else None
    if head in ORG_NOUNS[lang] and tok.pos_ != "VERB":
        ant = _earlier(by_sentence, sent, "ORG", _fits_class(kb, ORG_NOUNS[lang][head]))
        return (doc[start].idx, ant) if ant is not None else None
    return None


def _parties(kb: Any, m: Mention) -> tuple[str, ...]:
    """The parties (P102) the KB gives a linked person; () when it gives none."""
    ent = kb.entity(m.entity_key) if kb is not None and m.entity_key and m.entity_key.startswith("Q") else None
    return tuple(ent.claims.get("P102", ())) if ent is not None else ()


def _party_before_hyphen(tok: Token, here: list[Mention], kb: Any) -> str | None:
    """The linked organisation before the hyphen of a compound word ("CDU" of "CDU-Politikerin"), or None."""
    if kb is None or "-" not in tok.text:
        return None
    m = next((m for m in here if m.start == tok.idx and m.end < tok.idx + len(tok.text) and m.type == "ORG"
              and m.entity_key and m.entity_key.startswith("Q")), None)
    return m.entity_key if m is not None else None


def _apposition(doc: Doc, start: int, here: list[Mention]) -> bool:
    """The noun phrase opening at token ``start`` follows a person's name and a comma or dash ("Müller, der
    Sprecher", "Taylor - the spokeswoman -"): an apposition."""
    if start == 0 or doc[start - 1].text not in (",", "–", "—", "-"):
        return False
    comma = doc[start - 1].idx
    return any(m.type == "PER" and 0 <= comma - m.end <= 1 for m in here)


def _by_suffix(roles: dict, word: str) -> Mention | None:
    """The person last introduced with a role word ending in this one: "Bundesaußenministerin" for "Ministerin"
    (compound heads), "foreign minister" for "minister"."""
    last = word.split()[-1]
    for key in reversed(list(roles)):
        if key.startswith("word:") and (key[5:].endswith(word) or key[5:].endswith(last)) and len(last) >= 5:
            return roles[key]
    return None


def _country_before(doc, tok, sent, here, by_sentence, kb, start):
    """'das Nachbarland', "the country's": the last country named before, in this sentence or the three before."""
    def country(m: Mention) -> bool:
        if m.type != "LOC" or m.kind == "demonym" or m.end > tok.idx:
            return False
        if kb is None or not m.entity_key or m.entity_key.startswith("nil:"):
            return kb is None
        ent = kb.entity(m.entity_key)
        return ent is not None and bool(COUNTRY_CLASSES & set(ent.classes))

    for i in range(sent, max(sent - 1 - MAX_BACK, -1), -1):
        found = [m for m in (here if i == sent else by_sentence.get(i, [])) if country(m)]
        if found:
            return doc[start].idx, found[-1]
    return None


def _first_person(here: list[Mention]) -> Mention | None:
    return next((m for m in here if m.type == "PER"), None)


def _fits_class(kb: Any, allowed: frozenset[str] | None) -> Callable[[Mention], bool]:
    """Whether a named organisation can be what a noun with these finer classes refers to: yes unless the KB
    gives it a finer class outside ``allowed``."""
    def fits(m: Mention) -> bool:
        if allowed is None or kb is None or not m.entity_key or m.entity_key.startswith("nil:"):
            return True
        ent = kb.entity(m.entity_key)
        found = org_class(ent.classes) if ent is not None else None
        return found is None or found in allowed

    return fits


def _earlier(by_sentence: dict[int, list[Mention]], sent: int, type_: str,
             fits: Callable[[Mention], bool] | None = None) -> Mention | None:
    """The last mention of the type (that ``fits``) in the (up to three) sentences before."""
    for i in range(sent - 1, max(sent - 1 - MAX_BACK, -1), -1):
        found = [m for m in by_sentence.get(i, []) if m.type == type_ and m.kind != "demonym"
                 and (fits is None or fits(m))]
        if found:
            return found[-1]
    return None


def _learn_roles(doc: Doc, span, lang: str, here: list[Mention], roles: dict, text: str) -> None:
    """Role words next to a person's name: before it ("Außenministerin Baerbock", "Britain's prime minister"
    after "Starmer became"), or after it ("Baerbock, die Außenministerin", "Lammy as foreign secretary")."""
    people = [m for m in here if m.type == "PER"]
    if not people:
        return
    for tok in span:
        role = find_role(tok.text, lemma(tok, lang), lang)
        if lang == "en" and tok.i > span.start:
            role = find_role(f"{doc[tok.i - 1].lower_} {tok.lower_}", "", lang) or role
        if role is None or any(m.start <= tok.idx < m.end for m in people):
            continue
        after = [m for m in people if 0 <= m.start - (tok.idx + len(tok.text)) <= 2]
        word = "word:" + (f"{doc[tok.i - 1].lower_} {tok.lower_}" if lang == "en" and tok.i > span.start else tok.lower_)
        if after:
            roles[role.gloss] = after[0]
            roles.pop(word, None)
            roles[word] = after[0]  # kept in order: the last one introduced is found first
            continue
        before = [m for m in people if m.end <= tok.idx and len(text[m.end:tok.idx].split()) <= 4]
        if before:
            roles[role.gloss] = before[-1]
            roles.pop(word, None)
            roles[word] = before[-1]
