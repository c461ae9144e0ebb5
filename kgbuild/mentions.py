"""Mentions: spaCy ``Doc`` -> ``Mention`` spans with a coarse type and KB candidates (not yet linked).

Three sources, merged (``merge``):
- ``kb``: longest-match spotting of KB labels and aliases, with German inflection and country adjectives
  ("Nordkoreas", "russische" -> Russia);
- ``rules``: person names the KB may not know: a role word next to capitalised words ("Staatssekretär Jan
  Hollmann", "Juri Uschakow, Putins Berater"), a known first name followed by a surname, and later
  repetitions of a person's surname ("Uschakow");
- ``ner``: the statistical model's entities, when the pipeline has an ``ner`` component.
Where spans overlap, a KB span wins over an unsure NER span of the same extent; a longer person name from
the rules or the NER wins over a shorter KB surname inside it.
"""
from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from dataclasses import replace
from typing import Iterable, Sequence

import numpy
import simplemma
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, SENT_START
from spacy.tokens import Doc, Span, Token

from kgbuild.kb.normalize import norm_key, old_spelling_keys
from kgbuild.lexicon import (
    ACADEMIC_TITLES,
    PERSON_VERBS_EN,
    SUBJECT_ADVERBS_EN,
    find_role,
    is_common_word,
    role_lookup,
    role_parts,
    stopwords,
)
from kgbuild.linking import FAMOUS_SURNAME_PRIOR
from kgbuild.linking.companies import as_companies, company_after, company_stands, word_companies
from kgbuild.linking.features import CLASS_KINDS
from kgbuild.nlp import doc_text
from kgbuild.types import Candidate, KnowledgeBase, Mention, Sentence

log = logging.getLogger(__name__)

NER_LABELS = {
    "PER": "PER", "PERSON": "PER",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "ORG": "ORG", "NORP": "MISC",
    "MISC": "MISC", "OTH": "MISC",
}
_NAME_TOKEN = re.compile(r"^[A-ZÄÖÜÀ-ÞŁŚŻ][\w'’\-\.]*$", re.UNICODE)
#: a candidate of one common capitalised word needs at least this prior to be taken without other evidence
COMMON_WORD_PRIOR = 0.45
#: a one-word place name this obscure is taken only when the statistical NER also sees a name there
RARE_PLACE_PRIOR = 0.3
#: lowercase particles inside person names ("Charles de Gaulle", "Ursula von der Leyen")
NAME_PARTICLES = {"de", "von", "van", "der", "den", "bin", "al", "da", "di", "du", "la", "le", "ibn", "zu", "dos", "del"}


def sentences_of(doc: Doc) -> tuple[Sentence, ...]:
    """Non-empty sentences with surrounding white space trimmed."""
    out = []
    whole = doc_text(doc)
    for sent in doc.sents:
        text = whole[sent.start_char:sent.end_char]  # Span.text
        lead = len(text) - len(text.lstrip())
        body = text.strip()
        if body:
            start = sent.start_char + lead
            out.append(Sentence(start, start + len(body), body))
    return tuple(out)


def sentence_index(sentences: Sequence[Sentence], char: int) -> int:
    """The index of the sentence that holds ``char`` (-1: none); the sentences' starts are found by bisection,
    kept for the last sequence asked about (a document's mentions ask about the same one: no scan per mention)."""
    last = _LAST_STARTS[0]
    if last[0] is sentences and len(last[1]) == len(sentences):
        starts = last[1]
    else:
        starts = [s.start for s in sentences]
        _LAST_STARTS[0] = (sentences, starts)  # one assignment: safe with threads
    i = bisect.bisect_right(starts, char) - 1
    return i if i >= 0 and char < sentences[i].end else -1


#: the last sentences ``sentence_index`` was asked about, and their starts
_LAST_STARTS: list[tuple[object, list[int]]] = [((), [])]


def _is_name_token(tok: Token) -> bool:
    return bool(_NAME_TOKEN.match(tok.text)) and not tok.is_punct


#: a comma before a number inside a spotted n-gram: a dateline's day ("Prag, 1. Juli"), an address's number
_COMMA_NUMBER = re.compile(r",\s*\d")


def _acceptable(span: Span, cands: list[Candidate], lang: str, sent_start: bool,
                surface: str | None = None) -> list[Candidate]:
    """Keep the candidates that this surface can plausibly mean (case, common words, adjectives); ``surface``:
    the name the span is a dative form of ("Niederlande" of "Niederlanden", ``_dative_de``)."""
    first = span[0]
    text = span.text
    if len(span) == 1 and (first.is_punct or first.is_digit or len(text) < 2):
        return []
    stop = stopwords(lang)
    if span[-1].text in stop or span[-1].is_punct and not (span[-1].text == ")" and "(" in text):
        return []  # but a bracket the name opened: "Frankfurt (Oder)"
    lower = first.text[:1].islower()
    keep = []
    for cand in cands:
        if cand.kind == "demonym":  # "russische", "deutschen", "Südkoreanische", "Russian"
            if cand.lang in (None, "", "-", lang):  # not "Swiss" in German text: that is a name ("Swiss Life")
                keep.append(cand)
            continue
        if lower and cand.name != text:
            continue  # only adjectives and names written in lower case ("dpa") may be lowercase
        keep.append(cand)
    if len(span) > 1 and _COMMA_NUMBER.search(text):  # a dateline "Prag, 1. Juli" is no "Prag 1"
        keep = [c for c in keep if "," in c.name]
    if not keep or len(span) > 1:
        return keep
    # one capitalised word: German capitalises every noun, English the first word of a sentence
    word = text.lower()
    if (word in stop and not text.isupper()) or find_role(text, first.lemma_, lang):
        return []
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    first_name_slot = nxt is not None and _is_name_token(nxt)
    keep = [c for c in keep if (c.kind == "demonym" or _same_or_genitive(c.name, surface or text))
            and (c.lang in (None, "", "-", lang, "en") or c.prior >= 0.7 and not first_name_slot)]
    # a name of another language only for a major place, and not before a surname ("Malte Brenninkötter")
    if len(text) <= 3:  # codes and short names must match in case: "Li" is not LI (Liechtenstein)
        cased = [c for c in keep if text.isupper() and (c.name.isupper() or c.name == text)]
        keep = [c for c in cased if c.prior >= COMMON_WORD_PRIOR or c.type == "ORG" and c.prior >= 0.4]
        if not keep and (companies := word_companies(cased)) \
                and company_after(first.whitespace_ + span.doc[span.end:span.end + 8].text, lang):
            return companies  # a less known company in a company's context: "BP reported a rise in profit"
        return keep
    if text.isupper():
        return keep  # an acronym: NATO, DVRK
    # a family name alone ("Schwarz", "Herzog", "Sitte") only for the famous; others come back through the
    # NER or when the article also gives the full name
    keep = [c for c in keep if c.kind != "surname" or c.prior >= FAMOUS_SURNAME_PRIOR]
    keep = [c for c in keep if not (c.type == "LOC" and c.prior < RARE_PLACE_PRIOR and c.kind != "demonym")]
    if is_common_word(text, lang) or (sent_start and lang != "de" and simplemma.is_known(word, lang)):
        # a common noun that names a concept ("Buch", "Kosmos") is that noun, not a name; a company that a
        # company's context names ("Dell shares fell") is that company
        if (companies := word_companies(keep)) and company_after(first.whitespace_ + span.doc[span.end:span.end + 8].text, lang):
            return companies
        return [c for c in keep if c.kind == "demonym" or c.type != "MISC" and
                (c.prior >= COMMON_WORD_PRIOR and c.kind in ("label", "official", "short", "transliteration"))]
    return keep


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _same_or_genitive(name: str, text: str) -> bool:
    """'Putin'/'Putins', 'Erdoğan'/'Erdogan': the word is the name itself, or its genitive; also in the KB's
    normalisation ('Oesterreich'/'Oeſterreich' of 'Österreich', 'Mün¬chen'), and in old spelling ('Cöln')."""
    n, t = _fold(name), _fold(text)
    if t == n or t in (n + "s", n + "es", n + "'s", n + "’s", n + "'") or t.replace("-", "") == n.replace("-", ""):
        return True
    nk, tk = norm_key(name), norm_key(text)
    return any(k == nk or k in (nk + "s", nk + "es") for k in (tk, *old_spelling_keys(tk)))


#: German writes "Sankt" in place names as "St." (St. Peter ob Judenburg: "Sankt Peter ob Judenburg" in the KB)
_SANKT = frozenset({"St.", "St"})


def spot_kb(doc: Doc, kb: KnowledgeBase, lang: str, sentences: Sequence[Sentence]) -> list[Mention]:
    """Longest-match spotting of KB names, left to right, never across a sentence boundary.

    Most n-grams are not names: their surface is cut from ``doc.text`` and looked up (memoised by the KB)
    without making a ``Span``; a ``Span`` is made only for an n-gram that has candidates.
    """
    max_n = min(getattr(kb, "max_name_tokens", 6) or 6, 8)
    stop = stopwords(lang)
    mentions: list[Mention] = []
    text = doc_text(doc)
    n_tokens = len(doc)
    # the tokens' attributes in one array (a Token object per token and attribute costs more than the rest)
    columns = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT, SENT_START, LOWER]).T.tolist() if n_tokens else [[]] * 6
    starts, lengths, space, punct, sent_start, lower_ids = columns
    ends = [s + n for s, n in zip(starts, lengths, strict=True)]
    words = [text[s:e] for s, e in zip(starts, ends, strict=True)]  # Token.text
    sent_start = [v == 1 for v in sent_start]  # Token.is_sent_start (True, False, or None when unset)
    strings = doc.vocab.strings
    # an n-gram that ends in a stop word or punctuation is never a name (``_acceptable`` drops it): no lookup
    # nor does a name begin or end with a hyphen that the tokenizer split off ("D=Zug", "Young=Anleihe": "=Zug", "Young=")
    punct = [p or w in _HYPHENS for w, p in zip(words, punct, strict=True)]
    no_end = [w in stop or p for w, p in zip(words, punct, strict=True)]
    i = 0
    while i < n_tokens:
        word = words[i]
        if space[i] or punct[i] or (strings[lower_ids[i]] in stop and not word.isupper()
                                    and not (word == "The" and lang == "en" and i + 1 < n_tokens
                                             and words[i + 1][:1].isupper())):
            i += 1
            continue
        matched = 0
        in_compound = lang == "en" and i > 1 and words[i - 1] in _HYPHENS and ends[i - 2] == starts[i - 1] \
            and ends[i - 1] == starts[i] and words[i - 2][:1].isupper()
        # the longest n-gram from i that crosses no sentence start and no white-space token
        longest = 1
        while longest < min(max_n, n_tokens - i) and not sent_start[i + longest] and not space[i + longest]:
            longest += 1
        for n in range(longest, 0, -1):
            if no_end[i + n - 1] or n == 1 and word[-1] in _HYPHENS and len(word) > 1:
                continue  # "Togo⸗ und Kamerun", "Post- und Bahnbeamte": left to ``_spot_compound``
            if n > 1 and in_compound:
                continue  # "the Iran-Iraq war": not the Iraq War; a name of several words begins no compound's part
            cands = kb.lookup(text[starts[i]:ends[i + n - 1]], lang=lang, limit=10)
            if not cands and n > 1 and lang == "de" and word in _SANKT:
                cands = kb.lookup("Sankt " + text[starts[i + 1]:ends[i + n - 1]], lang=lang, limit=10)
            if cands and word == "The" and lang == "en" and n > 1:
                cands = _the_is_part_of_name(kb, cands, text[starts[i + 1]:ends[i + n - 1]])
            surface = None
            if not cands and lang == "de" and i > 0:
                surface, cands = _dative_de(kb, words[i - 1], text[starts[i]:ends[i + n - 1]])
            if not cands:
                continue
            if lang == "en" and n > 2 and i + n < n_tokens and words[i + n][:1].isupper() | (words[i + n] in _HYPHENS) \
                    and "," in words[i + 1:i + n - 1] and not space[i + n]:
                continue  # "Brooklyn, New York| City", "Vienna, Austria|-Hungary": a "City, Region" alias ends with the name
            span = doc[i : i + n]
            if i + n < n_tokens and words[i + n] == ")" and "(" in words[i:i + n] and ")" not in words[i:i + n]:
                span = doc[i : i + n + 1]  # "Frankfurt (Oder)", "Halle (Saale)": the name's closing bracket
            cands = _acceptable(span, cands, lang, sent_start[i], surface)
            if n == 1 and lang == "en" and cands:
                cands = _plural_nickname_after_the(span, cands, kb)
            if not cands:
                continue
            mentions.append(_mention(span, cands, "kb", sentences))
            matched = len(span)
            break
        joined = _spot_line_break(doc, i, kb, lang, sentences) \
            if not matched and word[-1] in _BREAK_HYPHENS and len(word) > 2 else None
        if joined is not None:
            mentions.append(joined[0])
            i = joined[1]
            continue
        if not matched and _COMPOUND.search(word, 1):
            mentions.extend(_spot_compound(doc[i], kb, lang, sentences))
        i += matched or 1
    return mentions


#: the dative plural article: "in den Niederlanden", "aus den Vereinigten Arabischen Emiraten"
_DATIVE_PLURAL_DE = frozenset({"den"})
#: dative articles and prepositions fused with one (old print's dative -e: "im Deutschen Reiche", "dem Reichstage")
_DATIVE_SINGULAR_DE = frozenset({"dem", "im", "am", "vom", "zum", "beim", "einem", "diesem", "jenem"})


def _dative_de(kb: KnowledgeBase, before: str, surface: str) -> tuple[str | None, list[Candidate]]:
    """A German name in the dative that the KB knows only in the nominative, and its candidates: a plural name in
    -e takes -n after *den* (*in den Niederlanden*, *den Vereinigten Arabischen Emiraten*: the places
    *Niederlande*, *Vereinigte Arabische Emirate*); a name that ends in a masculine or neuter noun takes old print's
    (and formal German's) dative -e after *dem* or a preposition fused with it (*im Deutschen Reiche*: *Deutsches
    Reich*). Only a candidate whose name ends in that very word (so not *Seinen* for the Seine: a place only after
    *den*, where *Seinen* is a pronoun; nothing that is itself a common noun in the dative), places for the plural;
    (None, []) when the rule does not apply."""
    before = before.lower()
    if surface.endswith("en") and before in _DATIVE_PLURAL_DE:
        types: tuple[str, ...] = ("LOC",)
    elif surface.endswith("e") and before in _DATIVE_SINGULAR_DE and " " in surface.strip():
        types = ("LOC", "ORG")  # "Deutschen Reiche", "Vereinigten Königreiche"; one word ("Hause") is a noun
    else:
        return None, []
    name = surface[:-1]
    last = norm_key(name).rsplit(" ", 1)[-1]
    if is_common_word(surface.rsplit(None, 1)[-1], "de") and " " not in surface.strip():
        return None, []
    cands = [c for c in kb.lookup(name, lang="de", limit=10)
             if c.type in types and norm_key(c.name).rsplit(" ", 1)[-1] == last]
    return (name, cands) if cands else (None, [])


def _the_is_part_of_name(kb: KnowledgeBase, cands: list[Candidate], rest: str) -> list[Candidate]:
    """A KB place's name that begins with a capitalised "The" ("The Hague", "The Bronx") is spotted with it when
    the name without "The" names no place ("The Gambia", "The Netherlands": the mention is the name after "The").
    Not organisations: the KB's "The Times" and "The Guardian" are small namesakes of the famous papers."""
    if any(c.type == "LOC" for c in kb.lookup(rest, lang="en", limit=10)):
        return []
    return [c for c in cands if c.type == "LOC"]


#: hyphens that end a line in the middle of a word ("Mün¬" / "chen"; "¬" only ever does, in NewsEye's old print)
_BREAK_HYPHENS = "-⸗=¬"
#: a word divided at a line end: a hyphen, a line break (or, after "¬", any white space), a lower-case rest
_LINE_BREAK = re.compile(r"[-⸗=¬][^\S\n]*\n\s*(?=[a-zäöüßſ])|¬[^\S\n]+(?=[a-zäöüßſ])")


def _spot_line_break(doc: Doc, i: int, kb: KnowledgeBase, lang: str, sentences) -> tuple[Mention, int] | None:
    """A name divided at a line end, as old print and OCR keep it ("nach Mün¬\nchen", "Ham⸗\nburg", "Nürn¬ berg"):
    the word before the hyphen and the lower-case word after the break, looked up as one word; a mention over both
    when the KB has a place, organisation or person of that name (no common noun, no family name alone, no rare
    place), as ``_acceptable`` keeps a one-word name; with the index of the token after it."""
    tok = doc[i]
    j = i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    if j >= len(doc) or j - i > 2 or not tok.text[:1].isupper() or len(tok.text) < 3:
        return None
    text = doc_text(doc)
    if not _LINE_BREAK.match(text, tok.idx + len(tok.text) - 1, doc[j].idx + 1) or not doc[j].text.isalpha():
        return None
    word = (tok.text[:-1] + doc[j].text).replace("ſ", "s")
    if _common_noun(word, lang, False) or word.lower() in stopwords(lang):
        return None
    cands = [c for c in kb.lookup(word, lang=lang, limit=10)
             if _same_or_genitive(c.name, word) and (c.kind != "surname" or c.prior >= FAMOUS_SURNAME_PRIOR)
             and not (c.type == "LOC" and c.prior < RARE_PLACE_PRIOR) and c.type != "MISC"
             and c.lang in (None, "", "-", lang, "en")]
    if not cands:
        return None
    start, end = tok.idx, doc[j].idx + len(doc[j].text)
    return Mention(start, end, text[start:end], cands[0].type, "kb", sentence_index(sentences, start),
                   kind=cands[0].kind, candidates=tuple(cands)), j + 1


#: Wikidata classes of sports and football clubs, as the KB gives them
_CLUB_CLASSES = frozenset({"Q847017", "Q476028"})


def _plural_nickname_after_the(span: Span, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A club's nickname that is an English plural ("Gunners", "Spurs", "Wolves": FB15k's aliases) names the club
    only after *the* ("the Gunners won"); elsewhere it is the common noun ("Wolves hunt in packs")."""
    word = span.text.lower()
    if not (word.endswith("s") and simplemma.is_known(word, "en") and simplemma.lemmatize(word, "en") != word):
        return cands
    prev = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if prev == "the":
        return cands
    return [c for c in cands if not _is_club_alias(c, kb)]


def _is_club_alias(c: Candidate, kb: KnowledgeBase) -> bool:
    return c.kind == "alias" and c.type == "ORG" and bool(
        _CLUB_CLASSES.intersection(getattr(kb.entity(c.qid), "classes", ()) or ()))


def _club_after_the(m: Mention, text: str, kb: KnowledgeBase, lang: str) -> bool:
    """'the Gunners', 'the Spurs': a club's one-word nickname after *the* stands without the NER (English)."""
    return lang == "en" and " " not in m.text.strip() and text[max(0, m.start - 4):m.start].lower() == "the " \
        and any(_is_club_alias(c, kb) for c in m.candidates)


#: hyphens of compounds: ASCII, Fraktur's double hyphen "⸗" and "=" (how OCR reads it: "Arbeiter=Zeitung")
_HYPHENS = "-⸗="
_COMPOUND = re.compile(r"(?<=\w)[-⸗=]")


#: points of the compass that begin German compounds of names ("Nord-Ostsee-Kanal", "Ost-West-Konflikt")
_COMPASS_DE = frozenset("nord süd ost west nordost nordwest südost südwest".split())
#: the adjective a compound's second part is ("Oesterreich-Ungarische", "Berlin-Anhaltische", "Schleswig-Holsteinischen"):
#: the adjective of a compound name, not the first name alone
_ADJECTIVE_PART_DE = re.compile(r"^[A-ZÄÖÜ][a-zäöüßſ]+i[sſ]ch(?:e|en|er|es|em)?$")


def _spot_compound(tok: Token, kb: KnowledgeBase, lang: str, sentences) -> list[Mention]:
    """'Nordkorea-Reise', 'Putin-Besuch': a name before the hyphen of a compound; the longest such name first, of
    several parts ('Nord-Stream-Pipeline', 'Baden-Württemberg-Wahl': not Nord, not Baden)."""
    parts = _COMPOUND.split(tok.text)
    for k in range(len(parts) - 1, 1, -1):
        name = tok.text[:len("-".join(parts[:k]))]  # one character between parts: the text's own hyphens
        found = [c for c in kb.lookup(name, lang=lang, limit=10) if c.kind != "surname"] if name[:1].isupper() else []
        if found:
            return [Mention(tok.idx, tok.idx + len(name), name, found[0].type, "kb", sentence_index(sentences, tok.idx),
                            kind=found[0].kind, candidates=tuple(found))]
    head = parts[0]
    if not head[:1].isupper() or len(head) < (2 if head.isupper() else 3):  # "EU-Kommissar", "VW-Chef"
        return []
    if head.lower() in _COMPASS_DE or len(parts) > 1 and _ADJECTIVE_PART_DE.search(parts[1]):
        return []  # "Nord-Ostsee-Kanal", "Ost-West-Konflikt"; "Oesterreich-Ungarische", "Baden-Württembergische"
    found = kb.lookup(head, lang=lang, limit=10)
    if found and found[0].kind == "alias" and found[0].prior < COMMON_WORD_PRIOR and found[0].lang != lang:
        return []  # a loose alias is the best reading: no other name of lower rank in its place
    cands = [c for i, c in enumerate(found) if c.prior >= COMMON_WORD_PRIOR or c.kind != "alias"
             or i == 0 and c.lang == lang]  # the best reading by a name of the text's language ("Grünen-Chef")
    if tok.text[-1] in _HYPHENS:  # "China- und Russlandpolitik", but not "Kopf- und Ohrenschmerzen"
        cands = [] if is_common_word(head, lang) else [c for c in cands if c.prior >= COMMON_WORD_PRIOR]
    if not cands:
        return []
    start = tok.idx
    best = cands[0]
    return [Mention(start, start + len(head), head, best.type, "kb", sentence_index(sentences, start),
                    kind=best.kind, candidates=tuple(cands))]


def _mention(span: Span, cands: Sequence[Candidate], source: str, sentences, type_: str | None = None) -> Mention:
    best = cands[0] if cands else None
    return Mention(
        span.start_char, span.end_char, span.text,
        type_ or (best.type if best else "MISC"), source,
        sentence_index(sentences, span.start_char),
        kind=best.kind if best else None,
        candidates=tuple(cands),
    )


def _name_run(doc: Doc, start: int, step: int, limit: int = 4) -> list[int]:
    """Indices of consecutive capitalised name tokens from ``start`` in direction ``step``."""
    out: list[int] = []
    i = start
    stop = stopwords(doc.lang_)
    roles = role_lookup(doc.lang_)
    while 0 <= i < len(doc) and len(out) < limit:
        tok = doc[i]
        if (out and tok.text in NAME_PARTICLES and 0 <= i + step < len(doc) and _is_name_token(doc[i + step])
                and step == 1 and len(out) + 2 <= limit
                and (tok.text not in ("der", "den") or doc[i - 1].text in NAME_PARTICLES)):
            out.append(i)  # "Heinrich von Kleist", "Ludwig van den Berg"; not "Armstrong den Mond"
            i += step
            continue
        if not _is_name_token(tok) or tok.lower_ in stop or tok.text in roles or tok.lower_ in roles:
            break
        if out and step == 1 and tok.is_sent_start:
            break
        out.append(i)
        i += step
    while step == 1 and out and doc[out[-1]].text in NAME_PARTICLES:
        out.pop()  # particles are taken only forwards, and only before a name
    return sorted(out)


def spot_person_rules(doc: Doc, kb: KnowledgeBase, lang: str, sentences,
                      ner_spans: Sequence[tuple[int, int]] | None = None) -> list[Mention]:
    """Person names from role words, first names and appositions.

    With ``ner_spans`` (character spans of a statistical NER's entities), a name found only because it
    begins with a given name ("Till Death Do", "Mal Fluorchlorkohlenwasserstoffe") needs the NER to see an
    entity there too, or the KB to know the person; names next to a role word stand on their own.
    """
    found: dict[tuple[int, int], Span] = {}  # next to a role word
    by_given: dict[tuple[int, int], Span] = {}  # only because the name starts with a given name
    for tok in doc:
        role = find_role(tok.text, tok.lemma_ or tok.text, lang) if not tok.is_punct else None
        if role:
            # "Staatssekretär Jan Hollmann", "President Joe Biden"
            run = _name_run(doc, tok.i + 1, 1)
            if len(run) >= 1 and (len(run) >= 2 or _is_given_or_long(doc[run[0]], kb, lang)):
                found[(run[0], run[-1] + 1)] = doc[run[0] : run[-1] + 1]
            elif lang == "de" and not run:
                particle = _particle_name_after_role(doc, tok.i + 1, kb)
                if particle is not None:
                    found[(particle.start, particle.end)] = particle
            # "Ein Sprecher des Auswärtigen Amts, Malte Brenninkötter, ..."
            k = tok.i + 1
            while k < len(doc) and k <= tok.i + 6 and doc[k].text not in (",", ".", ";", ":") and not doc[k].is_sent_start:
                k += 1
            if k < len(doc) - 1 and doc[k].text == "," and k > tok.i + 1:
                run = _name_run(doc, k + 1, 1)
                if len(run) >= 2 and run[0] == k + 1:
                    found[(run[0], run[-1] + 1)] = doc[run[0] : run[-1] + 1]
            # "Juri Uschakow, Putins außenpolitischer Berater"
            j = tok.i - 1
            while j > 0 and (doc[j].pos_ in ("ADJ", "DET", "PRON") or doc[j].text[:1].islower() or
                             doc[j].text.endswith(("s", "'s", "’s"))) and tok.i - j < 5 and doc[j].text != ",":
                j -= 1
            if j > 0 and doc[j].text == ",":
                run = _name_run(doc, j - 1, -1)
                if len(run) >= 2:
                    found[(run[0], run[-1] + 1)] = doc[run[0] : run[-1] + 1]
        elif _is_name_token(tok) and _given(kb, tok.text, lang):
            run = _name_run(doc, tok.i + 1, 1, limit=2)
            if run and run[0] == tok.i + 1:
                by_given[(tok.i, run[-1] + 1)] = doc[tok.i : run[-1] + 1]
    out = [_mention(span, person_candidates(kb, span.text, lang), "rules", sentences, "PER") for span in found.values()]
    for key, span in by_given.items():
        if key in found:
            continue
        cands = person_candidates(kb, span.text, lang)
        if ner_spans is not None and not cands and not any(s < span.end_char and span.start_char < e
                                                           for s, e in ner_spans):
            continue
        out.append(_mention(span, cands, "rules", sentences, "PER"))
    return out


def _particle_name_after_role(doc: Doc, i: int, kb: KnowledgeBase) -> Span | None:
    """'General v. Schleicher', 'Reichskanzler von Papen': after a German role word, a surname with its nobility
    particle and no given name. The abbreviated "v." is always the particle; "von" only when the KB knows a person
    of that name ("König von Spanien" names a place)."""
    if i + 1 >= len(doc) or doc[i].text not in ("v.", "von"):
        return None
    run = _name_run(doc, i + 1, 1, limit=2)
    if not run or run[0] != i + 1:
        return None
    span = doc[i : run[-1] + 1]
    if doc[i].text == "von" and not person_candidates(kb, span.text, "de"):
        return None
    return span


#: the abbreviated nobility particle of German names, in full ("General v. Schleicher": Kurt von Schleicher)
_PARTICLE_ABBREVIATIONS = {"v.": "von"}


def person_candidates(kb: KnowledgeBase, name: str, lang: str) -> list[Candidate]:
    """KB persons for a full name: by the name itself, else by the surname when the KB's full name contains
    every other word ("Tayyip Erdogan" -> Recep Tayyip Erdoğan; "v." as "von")."""
    cands = [c for c in kb.lookup(name, lang=lang, limit=10) if c.type == "PER"]
    words = [_PARTICLE_ABBREVIATIONS.get(w, w) for w in name.split()]
    if cands or len(words) < 2:
        return cands
    out = []
    for cand in kb.lookup(words[-1], lang=lang, limit=10):
        ent = kb.entity(cand.qid) if cand.type == "PER" else None
        if ent is None:
            continue
        full = {_fold(w) for label in ent.labels.values() for w in label.replace("-", " ").split()}
        if all(_fold(w) in full for w in words[:-1]):
            out.append(replace(cand, name=ent.label(lang), kind="alias"))
    return out


def _given(kb: KnowledgeBase, word: str, lang: str) -> bool:
    if lang == "en" and word.lower() in _DATE_WORDS_EN:
        return False  # the KB's first names include "Tuesday" and "March": "On Tuesday Hunter Thompson said"
    fn = getattr(kb, "is_given_name", None)
    return bool(fn and fn(word, lang=lang))


def _is_given_or_long(tok: Token, kb: KnowledgeBase, lang: str) -> bool:
    return _given(kb, tok.text, lang)


def spot_ner(doc: Doc, kb: KnowledgeBase, lang: str, sentences) -> list[Mention]:
    out = []
    for ent in doc.ents:
        type_ = NER_LABELS.get(ent.label_)
        if type_ is None:
            continue
        span = ent
        while len(span) > 1 and (span[0].is_punct or span[0].lower_ in stopwords(lang)
                                 and (span[0].is_lower or lang == "en" and span[0].lower_ == "the")):
            span = span[1:]  # "der Kreml", "the White House"; not "Den Haag", "Zweiten Weltkrieg"
        while lang == "en" and len(span) > 1 and span[0].lower_ in _DATE_WORDS_EN and span[1].is_title:
            span = span[1:]  # "On Tuesday Hunter Thompson said": a date, then the name
        while lang == "en" and len(span) > 1 and span[-1].is_lower and (span[-1].lower_ in stopwords(lang)
                                                                         or span[-1].tag_[:2] in ("VB", "MD")):
            span = span[:-1]  # "the Cavendish Laboratory at", "the Franco-Prussian War ended": no function word, no verb
        while len(span) > 1 and (span[-1].is_punct and span[-1].text not in "!?" or span[-1].text in ("'s", "’s", "'", "’")
                                 or type_ == "PER" and (is_common_word(span[-1].text, lang)
                                                        or span[-1].is_lower and span[-2].whitespace_)):
            span = span[:-1]  # "Putin Anfang (des Monats)": the NER ran on into a common noun
        span = _cut_at_open_bracket(span)
        if len(span) == 1 and (span[0].lower_ in role_parts(lang) or find_role(span.text, span[0].lemma_, lang)):
            continue  # "State" in "Secretary of State"
        if type_ == "PER":
            cands = person_candidates(kb, span.text, lang)
        else:
            cands = [c for c in kb.lookup(span.text, lang=lang, limit=10) if c.kind != "surname"]
            if not cands:
                span, cands = _name_inside(span, kb, lang, type_)
            variants = getattr(kb, "lookup_variants", None)
            if not cands and callable(variants):
                cands = variants(span.text, lang=lang, limit=10)  # "University of Utrecht", "Salk Institute"
                after = doc[span.end:span.end + 2]
                if lang == "en" and len(after) == 2 and after[0].text in (",", "at") and after[1].is_title:
                    cands = [c for c in cands if not c.name.endswith(" System")]  # "University of California at Davis": a campus
                if cands and not any(c.type == type_ for c in cands):
                    type_ = cands[0].type  # "Glasgow, Black" as an organisation: the NER's type went with its span
        out.append(_mention(span, cands, "ner", sentences, type_))
    return out


_OPENING = {"(": ")", "[": "]", "{": "}"}
#: days and months that begin no English name (not the months that are also first names: April, May, June, August)
_DATE_WORDS_EN = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march july
    september october november december""".split())


def _common_noun(word: str, lang: str, compounds: bool = True) -> bool:
    """A common noun, also in old print ("Kreiſes") and, with ``compounds``, in German a compound ending in one
    ("Konsistorialbezirkes": "Bezirkes"; but also "Darmstadt")."""
    word = word.replace("ſ", "s")
    if is_common_word(word, lang):
        return True
    return compounds and lang == "de" and word.isalpha() and any(
        is_common_word(word[k:].capitalize(), lang) for k in range(3, len(word) - 3))


def _cut_at_open_bracket(span: Span) -> Span:
    """'Catanzaro (Southern Italy': a NER span that runs into a bracket it does not close ends before it."""
    for k, tok in enumerate(span):
        close = _OPENING.get(tok.text)
        if close is not None and k > 0 and not any(t.text == close for t in span[k + 1:]):
            end = k
            while end > 1 and span[end - 1].is_punct:
                end -= 1
            return span[:end]
    return span


def _name_inside(span: Span, kb: KnowledgeBase, lang: str, type_: str) -> tuple[Span, list[Candidate]]:
    """A place or organisation span the KB does not know whole, whose NER ran on past a name the KB knows: the
    part before a comma or a number ('Glasgow, Black', 'Djeddah 76'), or the name after a leading common noun
    or lower-case word ('Konsistorialbezirkes Speyer', 'de Jungfraubahn'). That name, with its candidates of
    the NER's type first; else the span as it was, without candidates."""
    if len(span) < 2 or type_ not in ("LOC", "ORG"):
        return span, []
    parts = []
    cut = next((k for k, t in enumerate(span) if k > 0 and (t.text == "," or t.text[:1].isdigit())), None)
    if cut is not None:
        parts.append(span[:cut])
    first = span[0]
    if (first.is_lower or first.is_title and _common_noun(first.text, lang) and not kb.lookup(first.text, lang=lang)) \
            and not span[1].is_punct:
        parts.append(span[1:])
    for part in parts:
        text = part.text
        if not part or not _is_name_token(part[0]) or part[-1].is_punct:
            continue
        cands = [c for c in kb.lookup(text, lang=lang, limit=10) if c.kind != "surname" and c.type != "MISC"]
        cands.sort(key=lambda c: c.type != type_)  # stable: the KB's order within each
        if cands and (len(part) > 1 or _same_or_genitive(cands[0].name, text)):
            return part, cands
    return span, []


def spot_repeated_surnames(doc: Doc, mentions: list[Mention], sentences, kb: KnowledgeBase | None = None
                           ) -> list[Mention]:
    """Other mentions of a person's family name alone ("Uschakow", "Uschakows") when the full name is in the
    article; the first word counts too when it is no given name (family name first: "Li" of "Li Keqiang")."""
    surnames: dict[str, str] = {}
    for m in mentions:
        parts = m.text.split()
        if m.type != "PER" or len(parts) < 2 or not all(len(p) >= 2 and p[0].isupper() for p in (parts[0], parts[-1])):
            continue  # not "März d." (the NER ran on into an abbreviation)
        surnames.setdefault(parts[-1], m.text)
        if kb is not None and m.source != "ner" and not _given(kb, parts[0], doc.lang_):
            surnames.setdefault(parts[0], m.text)
    out = []
    for tok in doc:
        word = tok.text
        genitive = word.endswith("s") and word[:-1] in surnames  # German "Uschakows": the whole token
        if (word in surnames or genitive) and _is_name_token(tok):
            out.append(Mention(tok.idx, tok.idx + len(word), word, "PER", "rules",
                               sentence_index(sentences, tok.idx)))
    return out


#: words that join the names of a list: "Clapton, Beck and Page", "Jobs & Wozniak"
_LIST_JOINERS = frozenset({",", "and", "or", "&"})
#: how many persons of one surname a listed surname gets as candidates
LISTED_SURNAME_CANDIDATES = 5


def spot_listed_surnames(doc: Doc, mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, sentences
                         ) -> list[Mention]:
    """Family names alone in a list of persons ("Jobs and Baez dated", "a band of Homme, Grohl and Jones"): the
    spotter keeps a lone surname only for the famous (``FAMOUS_SURNAME_PRIOR``), and the NER misses names in
    short lists. Names joined by commas, *and*, *or*, *&* are of one kind; a list whose members are persons (a
    person mention of the NER, the rules or the KB, or words the KB knows as persons' surnames, two at least, one
    of them no common English word) and none a mention of another kind with KB candidates ("Mars, Galaxy and Bounty": the chocolate bars) gets
    a person mention, with the KB's persons of that surname as candidates, for each listed capitalised word no
    mention covers. The linker decides, as for any lone surname (prior, related entities of the document)."""
    covered: list[Mention | None] = [None] * len(doc)  # token -> the mention that covers it
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        for k in range(span.start, span.end) if span is not None else ():
            covered[k] = m
    out: list[Mention] = []
    for sent in doc.sents:
        i = sent.start
        while i < sent.end:
            if covered[i] is None and not doc[i].text[:1].isupper():
                i += 1  # no list starts here
                continue
            group, j = _name_list(doc, i, sent.end, covered)
            if len(group) < 2:
                i = max(j, i + 1)
                continue
            i = j
            persons, new, proper = 0, [], False
            for member in group:
                if isinstance(member, Mention):
                    if member.type == "PER" or not member.candidates and _persons_surname(kb, member.text, lang):
                        # a person, or a surname the NER took for an organisation ("Jagger and Richards wrote")
                        persons += 1
                        proper = proper or not simplemma.is_known(member.text.lower(), lang)
                    elif member.candidates:
                        break  # a list of organisations, places or things
                    continue
                cands = _persons_surname(kb, member.text, lang)
                if cands:
                    persons += 1
                    proper = proper or not simplemma.is_known(member.text.lower(), lang)
                    new.append((member, cands[:LISTED_SURNAME_CANDIDATES]))
            else:
                # one member at least is no English word: a title-case headline's "Cash, Page and Price" is not
                if persons >= 2 and proper:
                    out += [_mention(doc[t.i:t.i + 1], cands, "rules", sentences, "PER") for t, cands in new]
    return out


def _persons_surname(kb: KnowledgeBase, word: str, lang: str) -> list[Candidate]:
    """The KB's persons whose surname, label or alias is ``word``."""
    return [c for c in kb.lookup(word, lang=lang, limit=10)
            if c.type == "PER" and c.kind in ("surname", "label", "alias") and c.name == word]


#: English nouns of kinship and of occupations of public persons that stand right before a person's name ("her
#: husband Seal", "the guitarist Page", "country star Cash"); the offices of the role lexicon are found apart
PERSON_NOUNS_EN = frozenset("""husband wife father mother son daughter brother sister partner girlfriend boyfriend
    fiance fiancé fiancee fiancée widow widower uncle aunt cousin grandfather grandmother grandson granddaughter
    singer songwriter guitarist drummer bassist pianist violinist rapper musician star actor actress comedian
    director producer writer author novelist poet playwright painter sculptor photographer composer conductor
    physicist chemist biologist mathematician economist philosopher historian astronomer footballer striker
    midfielder goalkeeper defender coach boxer golfer""".split())


def spot_named_after_person_noun(doc: Doc, mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, sentences
                                 ) -> list[Mention]:
    """A capitalised word right after a lower-case noun of kinship or of a public person's occupation ("her husband
    Seal", "the guitarist Page", "country star Cash"; ``PERSON_NOUNS_EN``) that no mention covers and that is a
    name alone (no capitalised word after it) is a person: a person mention with the KB's persons of that name
    (label or surname) as candidates, when the KB has any. The linker decides as for any lone name."""
    out: list[Mention] = []
    nouns = {doc.vocab.strings[w] for w in PERSON_NOUNS_EN}
    after = [i + 1 for i, h in enumerate(doc.to_array([LOWER]).tolist()) if h in nouns and i + 1 < len(doc)]
    for tok in (doc[i] for i in after):
        prev = doc[tok.i - 1]
        if not (prev.is_lower and _is_name_token(tok) and "." not in tok.text
                and not tok.is_sent_start and tok.lower_ not in stopwords(lang)):
            continue
        if tok.i + 1 < len(doc) and _is_name_token(doc[tok.i + 1]) and not doc[tok.i + 1].is_sent_start:
            continue  # "the singer Johnny Cash": a full name, the rules' and the NER's
        if any(m.start < tok.idx + len(tok.text) and tok.idx < m.end for m in mentions):
            continue
        cands = [c for c in kb.lookup(tok.text, lang=lang, limit=10)
                 if c.type == "PER" and c.kind in ("surname", "label", "alias") and c.name == tok.text]
        if cands:
            out.append(_mention(doc[tok.i:tok.i + 1], cands[:LISTED_SURNAME_CANDIDATES], "rules", sentences, "PER"))
    return out




#: words after which a new clause's subject comes ("Page played a solo while Plant sang", "..., and Gates left")
_CLAUSE_JOINERS = frozenset("while and but as when after before because since until though although whereas , ;".split())


def spot_surname_subjects(doc: Doc, mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, sentences
                          ) -> list[Mention]:
    """A capitalised word no mention covers that opens a sentence or a clause (after "while", "and", "but", a
    comma, ...) and is followed by a person's verb (``PERSON_VERBS_EN``, one adverb between at most: "Gates later
    wrote a memoir") is a person's name when the KB has persons of that name (label, alias or surname): the small
    NER often misses a lone surname there ("Gates left the Pentagon in 2011.", "Page played a solo while Plant
    sang."). A person mention with the KB's persons of that name as candidates; the linker decides as for any lone
    name. English."""
    if lang != "en":
        return []
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [b for b, _ in spans]
    reach: list[int] = []  # the furthest end of the mentions up to each one (by start)
    for _, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)
    verbs = numpy.fromiter((doc.vocab.strings[w] for w in PERSON_VERBS_EN), dtype=numpy.uint64)
    out: list[Mention] = []
    for v in numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), verbs)).tolist():  # the verbs' tokens only
        if v == 0:
            continue
        k = v - 1 if doc[v - 1].lower_ not in SUBJECT_ADVERBS_EN else v - 2
        tok = doc[k] if k >= 0 else None
        if tok is None or not _is_name_token(tok) or len(tok.text) < 3 or "." in tok.text or tok.text.isupper() \
                or tok.lower_ in stopwords(lang) or not (tok.is_sent_start or k and doc[k - 1].lower_ in _CLAUSE_JOINERS):
            continue
        at = bisect.bisect_left(starts, tok.idx)
        if at < len(starts) and starts[at] < tok.idx + len(tok.text) or at and reach[at - 1] > tok.idx:
            continue  # covered by a mention
        cands = [c for c in kb.lookup(tok.text, lang=lang, limit=10)
                 if c.type == "PER" and c.kind in ("surname", "label", "alias") and c.name == tok.text]
        if cands:
            out.append(_mention(doc[tok.i:tok.i + 1], cands[:LISTED_SURNAME_CANDIDATES], "rules", sentences, "PER"))
    return out


def _name_list(doc: Doc, i: int, end: int, covered: Sequence[Mention | None]) -> tuple[list, int]:
    """The list of names that starts at token ``i`` (a mention, or a capitalised word no mention covers, each
    alone between joining words; ``covered``: the mention of each token) and the token after it; members: the
    ``Mention`` or the ``Token``."""
    group: list = []
    k = i
    while k < end:
        tok = doc[k]
        m = covered[k]
        if m is not None and (k == 0 or covered[k - 1] is not m):
            group.append(m)
            k += 1
            while k < end and covered[k] is m:
                k += 1
        elif m is None and _is_name_token(tok) and tok.lower_ not in stopwords(doc.lang_) and "." not in tok.text \
                and (k + 1 >= end or not _is_name_token(doc[k + 1])) and (k == i or not _is_name_token(doc[k - 1])):
            group.append(tok)
            k += 1
        else:
            break
        joiners = 0
        while k < end and doc[k].lower_ in _LIST_JOINERS and joiners < 2:
            k += 1
            joiners += 1
        if not joiners:
            break
        if k >= end or doc[k - 1].lower_ == "," and doc[k].lower_ not in _LIST_JOINERS and not doc[k].text[:1].isupper():
            break
    return group, max(k, i + 1)


def merge(primary: Iterable[Mention], *others: Iterable[Mention], lang: str = "") -> list[Mention]:
    """Merge mention lists; earlier lists win ties, longer person names win over names inside them (and, in
    English, a NER name that goes on past the KB names inside it: ``_name_goes_past``)."""
    chosen: list[Mention] = sorted(primary, key=lambda m: m.start)
    for extra in others:
        kept = _Kept(chosen)
        for m in sorted(extra, key=lambda m: m.start):
            at = kept.clashing(m)
            clash = [kept.mentions[j] for j in at]
            if not clash:
                kept.add(m)
                continue
            if len(clash) == 1 and (clash[0].start, clash[0].end) == (m.start, m.end):
                old = clash[0]
                if _ner_type_wins(old, m):  # "Dickinson" the footballer, not the town in North Dakota
                    kept.mentions[at[0]] = replace(
                        old, source=_join_sources(old.source, m.source), type=m.type,
                        kind=None, candidates=tuple(c for c in old.candidates if c.type == m.type) or m.candidates)
                    continue
                keep_type = old.candidates or "rules" in (old.source, m.source) and "PER" in (old.type, m.type)
                type_ = ("PER" if "rules" in (old.source, m.source) and "PER" in (old.type, m.type) else old.type) \
                    if keep_type else m.type  # a role word next to a name makes it a person, whatever the NER says
                kept.mentions[at[0]] = replace(old, source=_join_sources(old.source, m.source), type=type_,
                                               candidates=old.candidates or m.candidates)
                continue
            contains = all(m.start <= c.start and c.end <= m.end for c in clash)
            if contains and (m.type == "PER" and all(_weaker_than_person(c, m) for c in clash)
                             or all(_weaker_than_name(c, m) for c in clash)
                             or lang == "en" and _name_goes_past(clash, m)):
                for j in at:
                    kept.remove(j)
                kept.add(replace(m, source=_join_sources(m.source, *(c.source for c in clash)),
                                 candidates=m.candidates or ()))
        chosen = sorted(kept.mentions.values(), key=lambda m: m.start)
    return chosen


class _Kept:
    """The mentions :func:`merge` keeps, in the order it keeps them (a dict: replacing one keeps its place,
    a new one goes last), with an index by start offset to find the ones a new mention overlaps without
    comparing it with all of them (long texts)."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions: dict[int, Mention] = dict(enumerate(mentions))
        self._next = len(mentions)
        self._by_start = sorted((m.start, k) for k, m in self.mentions.items())
        self._longest = max((m.end - m.start for m in mentions), default=0)

    def clashing(self, m: Mention) -> list[int]:
        """Keys of the kept mentions that overlap ``m``, in the order they were kept."""
        lo = bisect.bisect_left(self._by_start, (m.start - self._longest, -1))
        hi = bisect.bisect_left(self._by_start, (m.end, -1))
        return sorted(k for _, k in self._by_start[lo:hi]
                      if (c := self.mentions[k]).start < m.end and m.start < c.end)

    def add(self, m: Mention) -> None:
        self.mentions[self._next] = m
        bisect.insort(self._by_start, (m.start, self._next))
        self._longest = max(self._longest, m.end - m.start)
        self._next += 1

    def remove(self, key: int) -> None:
        m = self.mentions.pop(key)
        del self._by_start[bisect.bisect_left(self._by_start, (m.start, key))]


def _ner_type_wins(kb_mention: Mention, ner: Mention) -> bool:
    """The same span from the KB and the NER with different types: the NER's type when the KB knows an
    entity of that type under the name, or when no KB reading is popular enough to overrule the NER."""
    if ner.source != "ner" or kb_mention.source != "kb" or kb_mention.type == ner.type or ner.type == "MISC":
        return False
    if kb_mention.kind in ("demonym", "surname"):
        return False  # an adjective of nationality; a family name the spotter took (famous, or named in full)
    if any(c.type == ner.type for c in kb_mention.candidates):
        return True
    if " " in kb_mention.text.strip():
        return False  # a whole multi-word name of the KB ("Rodong Sinmun", a newspaper) is not overruled
    return max((c.prior for c in kb_mention.candidates), default=0.0) < KB_TYPE_PRIOR


#: a KB reading at least this popular keeps its type against the NER's on the same span
KB_TYPE_PRIOR = 0.6


def _weaker_than_name(inner: Mention, outer: Mention) -> bool:
    """A KB match inside a longer NER name that the name may replace ("White" in "White House")."""
    if outer.source != "ner" or inner.source != "kb" or len(outer.text.split()) < 2:
        return False
    best_prior = max((c.prior for c in inner.candidates), default=0.0)
    if " " not in inner.text.strip() and best_prior < 0.6:
        return True
    if inner.kind == "demonym" and outer.type == "ORG" and outer.start == inner.start \
            and any(c.lang == "en" for c in inner.candidates) and (outer.candidates or _name_goes_on(inner, outer)):
        return True  # an English adjective of nationality that begins a KB organisation's name ("Chilean Communist Party")
    # a place named inside an organisation's or event's name is part of that name ("Bank of England",
    # "Gipfel von Vilnius" as an event); adjectives stay ("Südkoreanische Truppen": the NER ran on)
    return outer.type in ("ORG", "MISC") and inner.type == "LOC" and inner.kind != "demonym" \
        and len(outer.text) > len(inner.text) + 2


_JOINED_NAMES = re.compile(r",| and | or | & ")


def _name_goes_past(inner: Sequence[Mention], outer: Mention) -> bool:
    """An English NER name of a place or a building that goes on past the KB names inside it with a capitalised
    word of its own ("South China Sea": the KB's South and China; "Berlin Wall": Berlin and Wall, a company) is the
    longer name: it wins over them (English capitalises no common noun inside a sentence, so the word is part of
    the name). An organisation's name wins over the places inside it anyway (``_weaker_than_name``)."""
    if outer.source != "ner" or outer.type != "LOC" or any(c.source != "kb" or c.kind == "demonym" for c in inner) \
            or _JOINED_NAMES.search(outer.text):
        return False  # "University of Pisa and Scuola Normale": two names the NER ran together; "the Canadian Embassy"
    strong = [c for c in inner if not _weaker_than_name(c, outer)]  # a weak one-word match may be the head: "Wall"
    tail = outer.text[max((c.end for c in strong), default=outer.start) - outer.start:].split()
    last = tail[-1] if tail else ""
    return last.isalpha() and last[:1].isupper() and last[1:].islower() and last.lower() not in _DAYS_MONTHS


def _name_goes_on(demonym: Mention, outer: Mention) -> bool:
    """Does an organisation's name the KB does not know go on after the adjective of nationality it begins with,
    with a word that is no role ("British Museum"; not "British Prime Minister")? Then the adjective is part of
    the unlinked name (``_inside_longer_name`` would drop it, and the name with it)."""
    rest = outer.text[demonym.end - outer.start:].split()
    return bool(rest) and rest[0][:1].isupper() and rest[0].lower() not in role_parts("en") \
        and not find_role(rest[0], rest[0], "en")


def _weaker_than_person(inner: Mention, person: Mention) -> bool:
    """A mention inside a longer person name that the name may replace ("Juri" the town in "Juri Uschakow")."""
    if inner.type in ("PER", "MISC") or inner.kind in ("surname", "demonym"):
        return True  # a demonym inside a person's name is a family name ("Christiane Holländer")
    one_word = " " not in inner.text.strip()
    best_prior = max((c.prior for c in inner.candidates), default=0.0)
    return one_word and len(person.text.split()) >= 2 and best_prior < 0.7


def _join_sources(*sources: str) -> str:
    seen: list[str] = []
    for s in sources:
        for part in s.split("+"):
            if part not in seen:
                seen.append(part)
    return "+".join(seen)


#: with a statistical NER in the pipeline, a one-word KB match below this prior needs the NER to agree
NER_CONFIRM_PRIOR = 0.5


def _kb_sure(m: Mention, text: str = "", lang: str = "") -> bool:
    """A KB match that stands without the NER: several words (also hyphenated: "Arbeiter-Zeitung"), an adjective,
    an acronym, a popular name, or a name (not a common word) before the hyphen of a compound ("Siemens-Chef":
    the NER sees one word there, or none)."""
    if " " in m.text.strip() or _COMPOUND.search(m.text) or m.kind == "demonym" or (m.text.isupper() and len(m.text) >= 2):
        return True
    if text[m.end:m.end + 1] in _HYPHENS and text[m.end + 1:m.end + 2].isalpha() and not is_common_word(m.text, lang):
        return True
    if _LINE_BREAK.search(m.text):
        return True  # a name divided at a line end ("Mün¬" / "chen"): the NER sees two words
    return max((c.prior for c in m.candidates), default=0.0) >= NER_CONFIRM_PRIOR


#: the tagger's tags of a common noun, verb or adjective ("Orange juice prices rose", "Reading is good for children")
_COMMON_TAGS = frozenset("NN NNS VB VBD VBG VBN VBP VBZ JJ JJR JJS RB".split())


def _common_word_opening(doc: Doc, m: Mention, ner: Sequence[Mention]) -> bool:
    """A capitalised word that opens a sentence, is an English common word in lower case, and that the tagger
    reads as a common noun, verb or adjective, not a proper noun ("Orange juice prices rose", "Reading is good
    for children", "Bath salts were found"), is that word, not the KB's name, unless the NER sees a name there
    ("Apple pie" stays for the model to judge). English; only with a tagger (the built-in pipeline has none)."""
    if " " in m.text or m.kind == "demonym" or m.text.isupper():
        return False
    span = doc.char_span(m.start, m.end)
    if span is None or len(span) != 1 or not span[0].is_sent_start or span[0].tag_ not in _COMMON_TAGS:
        return False
    if not (is_common_word(m.text, "en") or simplemma.is_known(m.text.lower(), "en")):
        return False
    return not any(n.start < m.end and m.start < n.end for n in ner)


#: German words after which a capitalised word the KB knows as a place is that place ("zwischen Hessen und Preußen",
#: "nach Darmstadt", old print's "nächst Pottenstein"): the NER of old print misses many such places
_PLACE_CUES = {"de": frozenset("zwischen nach aus in bei über gegen und nächst unweit".split())}
#: a dateline: a place at a sentence's start, a comma and a day ("Konstantinopel, 6. April.")
_DATELINE = re.compile(r"\s?,\s?\(?\d")


def _place_by_context(m: Mention, text: str, sentences: Sequence[Sentence], lang: str) -> bool:
    """A one-word place name of the KB (by a label, not a common noun) the NER did not see, that stands after a
    German preposition of place or "und" (or "von" after a common noun), or opens a dateline."""
    cues = _PLACE_CUES.get(lang)
    if cues is None or m.type != "LOC" or " " in m.text.strip() or not m.candidates or m.kind == "demonym":
        return False
    top = m.candidates[0]
    if top.type != "LOC" or top.kind not in ("label", "official", "wikipedia") or _common_noun(m.text, lang, False) \
            or any(_common_noun(k.title(), lang, False) for k in old_spelling_keys(norm_key(m.text))):
        return False  # "im Laufe", "die Messe", "Jnseln" (Inseln)
    before = text[max(0, m.start - 20):m.start].split()
    if before and before[-1].replace("ſ", "s").lower() in cues:
        return True
    if len(before) >= 2 and before[-1] == "von" and before[-2].isalpha() and (
            before[-2].islower() or _common_noun(before[-2], lang)):
        return True  # "der Generalkapitän von Aragonien"; not "Otto von Bismarck" (a name's particle)
    starts = 0 <= m.sentence < len(sentences) and sentences[m.sentence].start == m.start
    return starts and bool(_DATELINE.match(text, m.end))


def _document_countries(kb: KnowledgeBase, mentions: Iterable[Mention]) -> set[str]:
    """The countries a document names: a country, or the country of a place (its ``P17``), by the first candidate
    of each place mention."""
    named: set[str] = set()
    for m in mentions:
        top = m.candidates[0] if m.type == "LOC" and m.candidates else None
        if top is not None and top.type == "LOC":
            named |= {top.qid} if _is_country(kb, top.qid) else set(getattr(kb.entity(top.qid), "claims", {}).get("P17", ()))
    return named


#: a body a country has one of: a ministry, or a federal, imperial or state office (*Bundeskanzleramt*,
#: *Unterrichtsministerium*, *Reichsgesundheitsamt*); not a local office of which every district has one
#: (*Gesundheitsamt*, *Finanzamt*)
_NATIONAL_BODY_DE = re.compile(r"(?:(?:Bundes|Reichs|Staats)[a-zäöüß]+|[A-ZÄÖÜ][a-zäöüß]*ministeri(?:um|ums|en))$")


def _is_agency(kb: KnowledgeBase, qid: str) -> bool:
    """Is the entity a government body by its KB classes (``features.CLASS_KINDS``' "agency")?"""
    return any(CLASS_KINDS.get(k) == "agency" for k in getattr(kb.entity(qid), "classes", ()))


def _bodies_of_document_countries(found: Sequence[Mention], kept: list[Mention], ner: Sequence[Mention],
                                  kb: KnowledgeBase) -> list[Mention]:
    """A one-word name of a country's government body the NER did not see (German names of ministries and federal
    offices read as common nouns: *Bundeskanzleramt*, *Unterrichtsministerium*; ``_NATIONAL_BODY_DE``) stands when
    the KB places its government bodies of that name in a country the document names (a country, or a place in it,
    among the mentions that stand): in an article that names *Wien* *das Bundeskanzleramt* is the Austrian
    chancellery, in one about *Berlin* not (the KB's only one is Austria's, and it stays no mention there). Only the
    candidates of those countries are kept."""
    countries = _document_countries(kb, [*kept, *ner])
    if not countries:
        return kept
    have = {id(m) for m in kept}
    out = list(kept)
    for m in found:
        if id(m) in have or " " in m.text.strip() or not m.candidates or m.candidates[0].type != "ORG" \
                or m.kind == "demonym" or not _NATIONAL_BODY_DE.match(m.text.replace("¬", "")):
            continue
        fit = tuple(c for c in m.candidates if c.type == "ORG" and _is_agency(kb, c.qid) and _in_country(kb, c.qid, countries))
        if fit and fit[0] == m.candidates[0]:
            out.append(replace(m, candidates=fit))
    return sorted(out, key=lambda m: (m.start, m.end)) if len(out) != len(kept) else kept


def _repeated_persons_de(mentions: Sequence[Mention], lang: str) -> set[str]:
    """Folded one-word person names of the KB (a label, alias or Wikipedia title, no family name alone, no common
    noun) that the spotter matched at least twice in a German document: such a name stands without the NER, which
    misses many persons in old print ("Roosevelt" three times in an article of 1933), as a name the article repeats
    is a name."""
    if lang != "de":
        return set()
    seen: dict[str, int] = {}
    for m in mentions:
        top = m.candidates[0] if m.candidates else None
        if top is not None and top.type == "PER" and top.kind in ("label", "alias", "wikipedia") \
                and m.kind != "demonym" and " " not in m.text.strip() and not _common_noun(m.text, lang, False):
            seen[_fold(m.text)] = seen.get(_fold(m.text), 0) + 1
    return {k for k, n in seen.items() if n >= 2}


def _persons_over_places(kb_mentions: list[Mention], ner: Sequence[Mention], kb: KnowledgeBase, lang: str
                         ) -> list[Mention]:
    """A lone word the KB spots as a place, the NER takes for a person, and the KB knows as a person's name too
    ("Jordan won six titles", "Hamilton won the race"): a person's mention, the places staying its candidates
    (the linker weighs them with the persons of that name). A place the KB knows no person of ("Kyiv", which the
    small NER now and then takes for a person) keeps its type. English."""
    persons = {(n.start, n.end) for n in ner if n.type == "PER" and " " not in n.text.strip()}
    if lang != "en" or not persons:
        return kb_mentions
    out = []
    for m in kb_mentions:
        if (m.start, m.end) in persons and m.type == "LOC" and m.kind != "demonym" and any(
                c.type == "PER" and c.kind in ("surname", "label", "alias") and c.name == m.text
                for c in kb.lookup(m.text, lang=lang, limit=30)):
            m = replace(m, type="PER")
        out.append(m)
    return out


def find_mentions(doc: Doc, kb: KnowledgeBase, lang: str, sentences: Sequence[Sentence],
                  use_ner: bool = True) -> list[Mention]:
    """All mentions of a Doc: KB spotting + person rules + NER (when the pipeline has one), merged."""
    kb_mentions = spot_kb(doc, kb, lang, sentences)
    has_ner = use_ner and doc.has_annotation("ENT_IOB")
    ner = spot_ner(doc, kb, lang, sentences) if has_ner else []
    ner_persons = [(n.start, n.end) for n in ner if n.type == "PER"] if has_ner else None
    rules = spot_person_rules(doc, kb, lang, sentences, ner_persons)
    if ner:
        text = doc_text(doc)  # Doc.text joins every token: once per document, not per mention
        repeated = _repeated_persons_de(kb_mentions, lang)
        found = kb_mentions
        kb_mentions = [m for m in kb_mentions if _kb_sure(m, text, lang) or any(n.start < m.end and m.start < n.end for n in ner)
                       or _place_by_context(m, text, sentences, lang) or _club_after_the(m, text, kb, lang)
                       or _fold(m.text) in repeated or company_stands(m, text, lang)]
        if lang == "de" and len(found) != len(kb_mentions):
            kb_mentions = _bodies_of_document_countries(found, kb_mentions, ner, kb)
    if has_ner and lang == "en":
        kb_mentions = [m for m in kb_mentions if not _common_word_opening(doc, m, ner)]
    merged = merge(_persons_over_places(kb_mentions, ner, kb, lang), rules, ner, lang=lang)
    merged = merge(merged, spot_repeated_surnames(doc, merged, sentences, kb))
    if lang == "en":
        merged = merge(merged, spot_listed_surnames(doc, merged, kb, lang, sentences))
        merged = merge(merged, spot_named_after_person_noun(doc, merged, kb, lang, sentences))
        merged = merge(merged, spot_surname_subjects(doc, merged, kb, lang, sentences))
        merged = as_companies(merged, kb, doc_text(doc), lang)
    return _sentence_stop_outside(refine_boundaries(doc, [m for m in merged if m.text.strip()], kb, lang), sentences)


#: a name that ends in a Roman numeral or an initial with its dot ("Pius X.", "Henry VIII.", "Harry S.")
_NUMERAL_DOT = re.compile(r"(?:\b[IVXL]+|\b[A-Z])\.$")


def _sentence_stop_outside(mentions: list[Mention], sentences: Sequence[Sentence]) -> list[Mention]:
    """'He joined the Society of Saint Pius X.': at the end of a sentence the dot after a Roman numeral or an
    initial is the sentence's full stop, not part of the name (the tokenizer keeps "X." as one word)."""
    out = []
    for m in mentions:
        if m.text.endswith(".") and 0 <= m.sentence < len(sentences) and sentences[m.sentence].end == m.end \
                and " " in m.text.strip() and _NUMERAL_DOT.search(m.text):
            m = replace(m, end=m.end - 1, text=m.text[:-1])
        out.append(m)
    return out


#: English heads of event names after a place: "Paris attacks", "Madrid bombings" (the place is part of the
#: name); not meetings ("Vilnius summit", "Geneva talks"), which take place there
EVENT_HEADS = frozenset("""attack attacks attacker attackers bombing bombings massacre shooting shootings
    agreement agreements accord accords protocol declaration marathon olympics riots uprising siege treaty""".split())
#: capitalised heads that make a name before them part of an institution's, prize's or building's name
NAME_HEADS = frozenset("""institute institution foundation prize award medal trophy lecture fellowship scholarship
    university college school academy laboratory museum library hospital clinic airport stadium arena
    bridge tower memorial centre center""".split())
_DAYS_MONTHS = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december""".split())


def refine_boundaries(doc: Doc, mentions: list[Mention], kb: KnowledgeBase, lang: str) -> list[Mention]:
    """Boundaries the longest name decides: "City, State" is one place ("Madison, Wisconsin" -> the city);
    a place or nationality inside a longer name is no mention of its own ("Paris attacks", "Latin America",
    "British Met Office", "Berlin Wall"); and no two mentions overlap (the longer one stays)."""
    out = _drop_nested(mentions)
    if lang == "en":
        out = _person_titles_en(doc, out, kb)
        out = _split_city_country(out, kb, doc_text(doc), sentences_of(doc))
        out = _city_state(_ap_states(out, kb, doc_text(doc)), kb, doc_text(doc))
        out = _split_name_in_place(out, kb, doc_text(doc))
        out = _place_before_institution(_head_of_place(doc, out, kb), kb, doc_text(doc))
        out = _without_combining_forms(_possessive_names(doc, _work_titles(doc, out), kb), doc_text(doc))
        starts = [m.start for m in out]  # sorted, and no two overlap (``_drop_nested``): one may cover an offset
        out = [m for m in out if not _inside_longer_name(doc, m, out, starts)]
    elif lang == "de":
        out = _person_titles_de(doc, out, kb)
        out = [m for m in out if not _adjective_in_name_de(doc, m, kb)]
        out = _leading_adjectives_de(doc, out, kb)
        out = _place_kind_de(doc, _head_noun_references_de(doc, _place_qualifier_de(doc, out)), kb)
        out = _institution_of_place_de(doc, _party_adjective_de(doc, out, kb), kb)
        out = _head_of_place(doc, out, kb, lang)
        out = _quoted_places_de(_compound_tail_de(doc, out, kb), doc_text(doc))
    return _dotted_acronyms(doc, out, kb, lang)


#: English honorifics, academic titles and ranks before a person's name (offices come from the role lexicon);
#: lower case, with their dots
_TITLES_EN = ACADEMIC_TITLES | frozenset("""mr. mr mrs. mrs ms. ms miss sir dame sen. gov. rep. gen. col. capt. lt.
    judge justice colonel admiral captain lieutenant sergeant commander marshal reverend rev.""".split())
#: ... and those that are part of the name they stand before: regnal names ("King Charles III", "Pope Francis"),
#: peerages ("Lord Kelvin") and saints ("Saint Petronius")
_NAME_TITLES_EN = frozenset("""king queen pope emperor empress prince princess lord lady saint st. tsar czar sultan
    shah duke duchess earl count countess baron baroness""".split())


def _is_title_en(tok: Token) -> bool:
    low = tok.lower_
    if low in _NAME_TITLES_EN:
        return False
    return low in _TITLES_EN or tok.is_title and (low in role_parts("en") or bool(find_role(tok.text, tok.lemma_ or tok.text, "en")))


def _person_titles_en(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """An office, rank or honorific before a person's name is not part of the name ("President Kennedy", "Sir
    Isaac Newton", "Secretary of State John Kerry": the person is Kennedy, Isaac Newton, John Kerry, as the gold of
    news and Wikipedia corpora marks them) even where the KB has the whole as an alias: the mention begins at the
    name and keeps the whole's persons as candidates (the title told them apart: "President Johnson"); without
    them, the KB's persons of the name ("General Eisenhower", which the NER took for an organisation). Regnal
    names, peerages and saints keep their title ("King Charles", "Lord Kelvin")."""
    out = []
    for m in mentions:
        if m.type not in ("PER", "ORG", "MISC") or " " not in m.text or not _is_title_en_word(m.text):
            out.append(m)
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        k = 0
        while span is not None and k < len(span) - 1 and (_is_title_en(span[k]) or span[k].is_punct
                                                             or k > 0 and span[k].lower_ == "of"):
            k += 1
        if span is None or k == 0 or not _is_name_token(span[k]):
            out.append(m)
            continue
        rest = span[k:]
        persons = tuple(c for c in m.candidates if c.type == "PER")
        if m.type != "PER" and (m.candidates or not persons and not (persons := tuple(
                person_candidates(kb, rest.text, "en")))):
            out.append(m)  # "General Motors", "Secretary General": an organisation's or an office's name
            continue
        cands = persons if m.type == "PER" and persons else tuple(person_candidates(kb, rest.text, "en"))
        out.append(replace(m, start=rest.start_char, end=rest.end_char, text=rest.text, type="PER", entity_key=None,
                           kind=cands[0].kind if cands else None, candidates=cands))
    return out


def _is_title_en_word(text: str) -> bool:
    """A cheap first look: the mention's first word could be a title (most mentions' is not)."""
    first = text.split(None, 1)[0].lower()
    return first in _TITLES_EN or first in role_parts("en") or bool(role_lookup("en").get(first))


#: German titles, honorifics and ranks before a person's name ("Dr. Markus Söder", "Herrn Müller", "Graf
#: Lambsdorff", old print's "Fürſt Bismarck", Austria's "Hofrat Hantsch"); folded, "ſ" as "s"
_TITLES_DE = ACADEMIC_TITLES | frozenset("""herr herrn frau fraulein frl. graf
    grafen grafin furst fursten freiherr freiherrn frhr. baron baronin sir mr. mrs. ms. hofrat kommerzialrat
    regierungsrat ministerialrat sektionschef hauptmann generalmajor generalleutnant oberst major leutnant
    landeshauptmann""".split())


def _is_title_de(tok: Token) -> bool:
    return _fold(tok.text.replace("ſ", "s")) in _TITLES_DE or bool(find_role(tok.text, tok.lemma_ or tok.text, "de"))


def _person_titles_de(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """A title, honorific or role word at the start of a person's name is not part of it ("Dr. Markus Söder" is
    Markus Söder, and the KB knows him so): the mention begins at the name, with the KB's persons of that name;
    a title alone ("Dr." where a sentence splitter cut "Dr. Schüller") is no person. A KB person whose own name
    has the title ("Graf Zeppelin") keeps it."""
    out = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand") if m.type == "PER" else None
        if span is None or not _is_title_de(span[0]) or any(_fold(c.name) == _fold(m.text) for c in m.candidates
                                                            if c.type == "PER"):
            out.append(m)
            continue
        k = 0
        while k < len(span) and (_is_title_de(span[k]) or span[k].is_punct):
            k += 1
        if k == len(span):
            if any(c.type == "PER" for c in m.candidates):
                out.append(m)  # "Graf" alone: also a surname (Steffi Graf)
            continue
        rest = span[k:]
        out.append(replace(m, start=rest.start_char, end=rest.end_char, text=rest.text, kind=None, entity_key=None,
                           candidates=tuple(person_candidates(kb, rest.text, "de"))))
    return [_common_noun_after_name_de(doc, m, kb) for m in out]


#: capitalised heads that make a person's name before them part of an organisation's or a thing's name ("Robert
#: Murjahn Stiftung"): not cut off as a common noun after the name
_NAME_HEADS_DE = frozenset("""stiftung verlag gruppe band preis institut show stadion straße strasse platz haus werk
    werke bank gesellschaft verein partei club klub zeitung""".split())


def _common_noun_after_name_de(doc: Doc, m: Mention, kb: KnowledgeBase) -> Mention:
    """A person's name ends before a capitalised common noun that follows it ("hatte Bundeskanzler Olaf Scholz
    Gelegenheit": Olaf Scholz; "Heidi Klums Modelsuche": Heidi Klums, a genitive) when the whole has no KB
    candidate, the noun is no family name the KB knows ("Hubertus Heil", "Joschka Fischer") nor the head of an
    organisation's name ("Robert Murjahn Stiftung"), and what is left ends in a family name (two words or more) or a
    genitive: not a first name alone ("Franz Beckenbauer" stays whole even where "Beckenbauer" reads as a noun)."""
    if m.type != "PER" or m.candidates:
        return m
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return m
    last, rest = span[-1], span[:-1]
    if not last.is_title or _given(kb, last.text, "de") or not _common_noun(last.text, "de") \
            or _fold(last.text) in _NAME_HEADS_DE or any(c.type == "PER" for c in kb.lookup(last.text, lang="de", limit=10)):
        return m
    end = rest[-1].text
    genitive = end.endswith("s") and len(end) > 2
    if not _is_name_token(rest[-1]) or _given(kb, end, "de") or len(rest) < 2 and not genitive:
        return m
    cands = tuple(person_candidates(kb, rest.text, "de"))
    return replace(m, end=rest.end_char, text=rest.text, kind=cands[0].kind if cands else None, entity_key=None,
                   candidates=cands)


def _replace_overlapped(mentions: list[Mention], new: Mention) -> list[Mention]:
    """``new`` in place of the mentions it overlaps."""
    kept = [m for m in mentions if not (m.start < new.end and new.start < m.end)]
    return sorted([*kept, new], key=lambda m: m.start)


#: single capital letters with dots, spaced or joined by hyphens: "N. S. D. A. P.", "S.=S.", "U. S. A." (old print
#: and some news spell acronyms so)
_DOTTED = re.compile(r"(?<![\w.])(?:[A-ZÄÖÜ]\.(?: |[-⸗=](?=[A-ZÄÖÜ]\.))?){2,}")


def _dotted_acronyms(doc: Doc, mentions: list[Mention], kb: KnowledgeBase, lang: str) -> list[Mention]:
    """'der N. S. D. A. P.', 'ein S.=S.=Mann': an acronym spelt with dots after each letter is one mention of what the
    KB knows under the letters joined ("NSDAP", "SS"): an organisation or a place with an upper-case name, two
    letters only for an organisation; not initials before a name ("C. F. Flach", "H. Kray")."""
    text = doc_text(doc)
    out = mentions
    for hit in _DOTTED.finditer(text):
        start, end = hit.start(), hit.end()
        while text[end - 1] in " -⸗=":
            end -= 1
        if any(m.start <= start and end <= m.end for m in out):
            continue  # the spotter's own reading of it ("H.I."), a longer name ("Washington, D.C.")
        letters = "".join(ch for ch in text[start:end] if ch.isalpha())
        if len(letters) < 2 or re.match(r" ?[A-ZÄÖÜ][a-zäöüß]", text[end:end + 3]):
            continue  # initials before a surname ("C. F. Flach"), not "S.=S.=Mann"
        if len(letters) == 2 and not re.search(r"\.[ =⸗-]", text[start:end]):
            continue  # two letters written together ("H.I."): the spotter's lookup, an abbreviation, not an acronym
        cands = [c for c in kb.lookup(letters, lang=lang, limit=10)
                 if c.name.replace(".", "").replace(" ", "").isupper() and c.kind != "surname"
                 and (c.type == "ORG" or c.type == "LOC" and len(letters) >= 3)]
        if not cands:
            continue
        best = cands[0]
        m = Mention(start, end, text[start:end], best.type, "kb", sentence_index(sentences_of(doc), start),
                    kind=best.kind, candidates=tuple(cands))
        out = _replace_overlapped(out, m)
    return out


#: heads of German names of institutions and buildings that a place name follows ("Universität Gießen",
#: "Technische Hochschule Darmstadt", "Landgericht Berlin", "Sicherheitsdirektion für Niederösterreich",
#: "Polizei Köln"): the place is part of the name, not a mention of its own. As the end of a compound
#: ("Landesgericht"), inflected ("Kreisgerichtes"). Not a station or an airport before the place: "des Bahnhofs
#: Gießen", "am Flughafen Frankfurt" name the place's station (HIPE links the town there).
_INSTITUTION_HEADS_DE = ("universität", "hochschule", "akademie", "gericht", "gerichtshof", "direktion", "klinik",
                         "klinikum", "museum", "zollamt", "polizei", "staatsanwaltschaft")
_INSTITUTION_BEFORE_DE = re.compile(
    r"((?:[A-ZÄÖÜ][\w¬]*(?:e|en|er|es|em) )?[A-ZÄÖÜ][\w¬]*) (?:(?:für|zu) )?$")
#: heads after a place ("Wien Ostbahnhof", "Berlin Hauptbahnhof", "Wien Hauptzollamt")
_FACILITY_AFTER_DE = re.compile(r" ([A-ZÄÖÜ][\w¬]*(?:bahnhof|flughafen|zollamt))\b")


def _institution_head_de(word: str) -> bool:
    w = word.replace("¬", "").lower()
    for ending in ("", "s", "es", "en", "n"):
        if ending and not w.endswith(ending):
            continue
        if (w[:-len(ending)] if ending else w).endswith(_INSTITUTION_HEADS_DE):
            return True
    return False


def _institution_of_place_de(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """A place after the head of an institution's name ("von der Universität Gießen", "dem Kreisgericht Krems",
    "die Sicherheitsdirektion für Niederösterreich") or before a station's ("Abfahrt Wien Ostbahnhof") is part of
    that name: one mention of the whole, with the KB's entities of that name (an organisation the KB does not know
    stays an unlinked name), never the place alone."""
    text = doc_text(doc)
    sentences = sentences_of(doc)
    out = mentions
    for m in list(mentions):
        if m.type != "LOC" or m.kind == "demonym" or not m.candidates or m.candidates[0].type != "LOC":
            continue
        start, end = m.start, m.end
        before = _INSTITUTION_BEFORE_DE.search(text, max(0, m.start - 60), m.start)
        if before and before.end() == m.start and _institution_head_de(before.group(1).split()[-1]):
            start = before.start(1)
            first = before.group(1).split()[0]
            if " " in before.group(1) and (first.lower() in stopwords("de") or not first.endswith(("e", "en", "er", "es", "em"))):
                start += len(first) + 1  # "Die Sicherheitsdirektion": an article, no adjective of the name
        after = _FACILITY_AFTER_DE.match(text, m.end)
        if start == m.start and after:
            end = after.end(1)
        if (start, end) == (m.start, m.end):
            continue
        if 0 <= m.sentence < len(sentences) and not (sentences[m.sentence].start <= start
                                                      and end <= sentences[m.sentence].end):
            continue
        name = text[start:end]
        cands = tuple(c for c in kb.lookup(name.replace("¬", ""), lang="de", limit=10) if c.type in ("ORG", "LOC"))
        best = cands[0] if cands else None
        type_ = best.type if best else "LOC" if after is not None and end == after.end(1) else "ORG"
        out = _replace_overlapped(out, Mention(start, end, name, type_, m.source, m.sentence,
                                               kind=best.kind if best else None, candidates=cands))
    return out


#: a German opening quotation mark (and the spaces OCR puts after it) right before a name, and a closing one after it
_QUOTE_OPEN_DE = re.compile(r"[„»«\"‚‹›][^\S\n]?$")
_QUOTE_CLOSE_DE = re.compile(r"[^\S\n]?[“«»\"‘‹›]")


def _quoted_places_de(mentions: list[Mention], text: str) -> list[Mention]:
    """A place's name alone between quotation marks names something else: a ship (*die „Bremen“*, *der „Bulgaria“*),
    a newspaper (*die „Germania“*), a song or a word as a word, not the place. Such a mention keeps only the
    candidates that are no place (the KB's newspaper of that name); none left, an unlinked name of a thing. Not a
    quotation that begins or ends with the name (*„Russland hat ...“*), nor quotation marks around more (*„Nach
    Berlin!“*)."""
    out = []
    for m in mentions:
        if m.candidates and m.kind != "demonym" and any(c.type == "LOC" for c in m.candidates) \
                and _QUOTE_OPEN_DE.search(text, max(0, m.start - 2), m.start) and _QUOTE_CLOSE_DE.match(text, m.end):
            keep = tuple(c for c in m.candidates if c.type != "LOC")
            # the NER's reading is no source of candidates either (the linker looks up a NER name without any)
            source = "+".join(s for s in m.source.split("+") if s != "ner") or "rules"
            m = replace(m, candidates=keep, type=keep[0].type if keep else "MISC", kind=keep[0].kind if keep else None,
                        source=source)
        out.append(m)
    return out


#: capitalised words joined by a hyphen right before a name, in old print often with a space after the hyphen
#: (the line break): "Neu⸗ Guinea", "Neu=Braunschweig", "Deutſch⸗ Neu⸗ Guinea"
_HYPHENED_BEFORE = re.compile(r"(?:[A-ZÄÖÜ][\wſ]*[-⸗=] ?)+$")


def _compound_tail_de(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """A name right after a capitalised word and a hyphen is the end of a compound name ("Neu⸗ Guinea",
    "Neu=Braunschweig"): one mention of the whole, with the KB's entities of that name, else an unlinked name;
    never the last part alone (Guinea, Braunschweig). Old print; modern text writes such a name as one token, which
    the spotter looks up whole."""
    text = doc_text(doc)
    out = mentions
    for m in list(mentions):
        if m.type not in ("LOC", "ORG") or m.kind == "demonym" or not m.candidates:
            continue
        before = _HYPHENED_BEFORE.search(text, max(0, m.start - 40), m.start)
        if before is None or before.end() != m.start or (before.start() > 0 and text[before.start() - 1].isalnum()):
            continue
        start = before.start()
        name = text[start:m.end]
        cands = tuple(c for c in kb.lookup(name, lang="de", limit=10) if c.type in ("LOC", "ORG"))
        out = _replace_overlapped(out, Mention(start, m.end, name, cands[0].type if cands else m.type, m.source,
                                               m.sentence, kind=cands[0].kind if cands else None, candidates=cands))
    return out


#: capitalised words that end a German party's name after an adjective: "die bayerische Volkspartei" (the adjective
#: may be split at a line break of old print: "national¬sozialistischen")
_PARTY_HEAD_DE = re.compile(r"([a-zäöü][a-zäöüß¬]+(?:e|en|er|es|em)) ((?:[A-ZÄÖÜ][a-zäöüß]*p|P)artei)\b")
_PARTY_CLASS = "Q7278"
#: words before an adjective and *Partei* that make it a description, not a name ("eine sozialistische Partei")
_INDEFINITE_DE = frozenset("ein eine einer einen einem eines kein keine keiner keinen keinem keines jede jeder jeden "
                           "jedem jedes manche solche".split())
#: a capitalised genitive after *Partei* that continues the name ("sozialdemokratische Partei Schwedens")
_GENITIVE_AFTER = re.compile(r" ([A-ZÄÖÜ][\wſ]+s)\b")


#: what follows *Partei* in a party's name that a shortened name leaves out: a genitive ("Deutschlands"), a place
#: after "der" or "in der" ("der Schweiz", "in der DDR"); not another name ("Kommunistische Partei Saar")
_PARTY_TAIL = re.compile(r"|[A-ZÄÖÜ]\w+s|(?:in )?der [A-ZÄÖÜ]\w+")


def _is_party(kb: KnowledgeBase, c: Candidate) -> bool:
    return c.type == "ORG" and _PARTY_CLASS in getattr(kb.entity(c.qid), "classes", ())


def _parties_named(kb: KnowledgeBase, adjective: str) -> tuple[Candidate, ...]:
    """Parties whose German name is the adjective, *Partei* and at most a genitive or a place after it
    (``_PARTY_TAIL``: "Sozialdemokratische Partei Österreichs", "Kommunistische Partei der Schweiz"), or the
    adjective, an adjective of nationality and a compound ending in *partei* ("Nationalsozialistische Deutsche
    Arbeiterpartei"): the parties "die sozialdemokratische Partei", "die nationalsozialistische Partei" may name.
    Those named with the plain head first; the linker chooses among them by context."""
    beginning = getattr(kb, "names_beginning", None)
    if not callable(beginning):
        return ()
    plain, compound = [], []
    for c in beginning(adjective, lang="de", limit=50):
        words = c.name.split()
        if len(words) < 2 or words[0] != adjective or not _is_party(kb, c):
            continue
        if words[1] == "Partei" and _PARTY_TAIL.fullmatch(" ".join(words[2:])):
            plain.append(replace(c, kind="short"))
        elif len(words) == 3 and words[2].endswith("partei") and any(
                d.kind == "demonym" for d in kb.lookup(words[1], lang="de", limit=10)):
            compound.append(replace(c, kind="short"))
    return tuple(dict((c.qid, c) for c in plain + compound).values())


def _of_document_countries(kb: KnowledgeBase, cands: tuple[Candidate, ...], mentions: Sequence[Mention]
                           ) -> tuple[Candidate, ...]:
    """The parties of a shortened name that belong to a country the document names (a country, or a place in it,
    by the first candidate of its mentions): "die sozialdemokratische Partei" beside *Wien* is the SPÖ, beside
    *Berlin* the SPD, beside *Dänemark* none of the KB's (the Danish party is not among them). One party, or a
    document that names no country, keeps its candidates."""
    countries_of = {c.qid: set(getattr(kb.entity(c.qid), "claims", {}).get("P17", ())) for c in cands}
    if len(cands) < 2 or len(set().union(*countries_of.values())) < 2:
        return cands
    named = _document_countries(kb, mentions)
    if not named:
        return cands
    return tuple(c for c in cands if countries_of[c.qid] & named)


def _party_adjective_de(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """'die bayerische Volkspartei', 'der christlichsozialen Partei': German writes the adjective of a party's name in
    lower case when it is read as a description; when the name with the adjective capitalised is a party the KB
    knows ("Bayerische Volkspartei"), the words are a mention of it. The adjective and a plain *Partei* are also a
    shortened name ("der sozialdemokratischen Partei": the parties ``_parties_named``); not after an indefinite
    article ("eine sozialistische Partei"), and not before a genitive (a whole name the KB knows, "der
    sozialdemokratischen Partei Österreichs", or another party: "die sozialdemokratische Partei Schwedens")."""
    text = doc_text(doc)
    sentences = sentences_of(doc)
    out = mentions
    for hit in _PARTY_HEAD_DE.finditer(text):
        before = text[max(0, hit.start() - 12):hit.start()].split()
        if before and before[-1].lower() in _INDEFINITE_DE:
            continue
        word = hit.group(1).replace("¬", "")
        adj = word[:1].upper() + word[1:]
        forms = tuple(dict.fromkeys((adj, re.sub(r"(?:en|er|es|em)$", "e", adj))))  # "christlichsozialen" -> "-soziale"
        start, end = hit.start(), hit.end()
        genitive = _GENITIVE_AFTER.match(text, end)
        cands: tuple[Candidate, ...] = ()
        if genitive is not None:  # "der sozialdemokratischen Partei Österreichs": the whole name first
            for form in forms:
                cands = tuple(c for c in kb.lookup(f"{form} {hit.group(2)} {genitive[1]}", lang="de", limit=10)
                              if _is_party(kb, c))
                if cands:
                    end = genitive.end(1)
                    break
        for form in forms if not cands else ():
            cands = tuple(c for c in kb.lookup(f"{form} {hit.group(2)}", lang="de", limit=10) if _is_party(kb, c))
            if cands:
                break
        if not cands and not genitive and hit.group(2) == "Partei":
            for form in forms:
                cands = _parties_named(kb, form)
                if cands:
                    cands = _of_document_countries(kb, cands, mentions)
                    break
        if not cands:
            continue
        out = _replace_overlapped(out, Mention(start, end, text[start:end], "ORG", "kb", sentence_index(sentences, start),
                                               kind=cands[0].kind, candidates=cands))
    return out


#: German nouns of a place's kind right before its name: a region ("im US-Bundesstaat Georgia", "in der Provinz
#: Québec", "im Bundesland Salzburg") or a city ("in der Stadt Salzburg", "die Hauptstadt Washington")
_REGION_NOUNS_DE = frozenset("""bundesstaat provinz bundesland kanton region departement département oblast präfektur
    grafschaft woiwodschaft landkreis""".split())
_CITY_NOUNS_DE = frozenset("stadt hauptstadt großstadt metropole millionenstadt hafenstadt kleinstadt".split())
#: Wikidata classes of cities and capitals (P31), and of countries, as the KB gives them to places
_CITY_CLASSES, _COUNTRY_CLASS = frozenset({"Q515", "Q5119"}), "Q6256"


def _place_kind_de(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """A noun of a place's kind right before a place name keeps the candidates of that kind, when there are any:
    after *Bundesstaat*, *Provinz*, *Bundesland*, *Kanton* ... the places that are no city, capital or country
    (Georgia the US state, not the country; New York and Québec the state and the province, not the cities),
    after *Stadt*, *Hauptstadt* ... the cities and capitals (Salzburg the city, not the Land)."""
    text = doc.text
    out = []
    for m in mentions:
        before = text[max(0, m.start - 40):m.start]
        word = before.split()[-1] if before.strip() and before[-1:].isspace() else ""
        noun = word.rsplit("-", 1)[-1].lower()  # "US-Bundesstaat"
        region, city = noun in _REGION_NOUNS_DE, noun in _CITY_NOUNS_DE
        if not (region or city) or m.type != "LOC" or len(m.candidates) < 2:
            out.append(m)
            continue
        kept = tuple(c for c in m.candidates if _of_kind(kb, c, region))
        out.append(replace(m, candidates=kept) if kept else m)
    return out


def _of_kind(kb: KnowledgeBase, cand: Candidate, region: bool) -> bool:
    """A region (a place that is no city, capital or country) when ``region``, else a city or capital."""
    ent = kb.entity(cand.qid) if cand.type == "LOC" else None
    if ent is None:
        return False
    classes = set(ent.classes)
    if region:
        return not classes & _CITY_CLASSES and _COUNTRY_CLASS not in classes
    return bool(classes & _CITY_CLASSES)


def _adjective_de(tok: Token, tagged: bool) -> bool:
    """An attributive adjective: by its part of speech, or (a pipeline without one) by its ending."""
    if tagged:
        return tok.pos_ == "ADJ"
    return tok.text.isalpha() and tok.text.endswith(("e", "en", "er", "es", "em"))


#: determiners before a head noun that refers back to a name ("die Kommission", "dieser Bank")
_DETERMINERS_DE = frozenset("die der den dem des diese dieser diesen diesem dieses".split())


def _head_noun_references_de(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'die Kommission' after 'Europäische Kommission', 'der Bank' after 'Deutsche Bank': a common noun after a
    determiner that is the head of an organisation's name the article gave before (adjectives and that noun)
    refers to that organisation; it becomes a mention with the earlier name's candidate. Not when two earlier
    names share the head, and not for names whose last word is no head ("Bundesverband der Deutschen
    Industrie")."""
    heads: dict[str, dict[str, tuple[Candidate, int]]] = {}
    tagged = doc.has_annotation("POS")
    for m in mentions:
        if m.type != "ORG" or not m.candidates or m.candidates[0].type != "ORG":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) < 2 or not all(_adjective_de(t, tagged) for t in span[:-1]):
            continue
        head = span[-1].text
        if len(head) >= 4 and head[:1].isupper() and is_common_word(head, "de"):
            heads.setdefault(head, {}).setdefault(m.candidates[0].qid, (m.candidates[0], m.end))
    if not heads:
        return mentions
    sentences = sentences_of(doc)
    taken = [(m.start, m.end) for m in mentions]
    extra = []
    for tok in doc:
        options = heads.get(tok.text)
        if not options or tok.i == 0 or doc[tok.i - 1].lower_ not in _DETERMINERS_DE:
            continue
        earlier = [cand for cand, end in options.values() if end <= tok.idx]
        start, end = tok.idx, tok.idx + len(tok.text)
        if len(earlier) != 1 or any(s < end and start < e for s, e in taken):
            continue
        cand = replace(earlier[0], kind="short", score=0.0, features=())
        extra.append(Mention(start, end, tok.text, "ORG", "kb", sentence_index(sentences, start), kind="short",
                             candidates=(cand,)))
    return sorted([*mentions, *extra], key=lambda m: (m.start, m.end)) if extra else mentions


def _adjective_in_name_de(doc: Doc, m: Mention, kb: KnowledgeBase) -> bool:
    """A capitalised adjective of nationality inside a sentence, before a capitalised word or a hyphen, is part
    of a name ("Deutsche Orientbank", "der Deutschen Industrie", "Deutsch-Südamerikanische Bank"): German writes
    the adjective in lower case otherwise ("deutsche Truppen"); not at a sentence's or a heading's start."""
    if m.kind != "demonym" or not m.text[:1].isupper():
        return False
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or span[0].is_sent_start or span.start == 0:
        return False
    text = doc_text(doc)
    head_of_compound = text[m.end:m.end + 1] in _HYPHENS and text[m.end + 1:m.end + 2].isupper()
    if span.end_char != m.end and not head_of_compound:
        return False
    prv = doc[span.start - 1]
    if prv.is_punct and prv.text not in (",", ";"):
        return False  # after a dash, colon or quote: a heading or a quotation starts ("Thema – Südkoreanische Truppen")
    word = m.text.lower()
    base = next((word[:-len(e)] for e in ("en", "em", "er", "es", "e") if word.endswith(e)), word)
    if not any(c.kind == "demonym" and c.name == base for c in kb.lookup(base, lang="de")):
        return False  # a noun of nationality ("Russen", "Franzosen") may stand before a noun
    if head_of_compound:
        return True
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is None or nxt.is_sent_start:
        return False
    return nxt.text in _HYPHENS or (_is_name_token(nxt) and nxt.lower_ not in stopwords("de"))


#: the endings of a German adjective before a noun ("Internationale", "Roten", "Olympisches")
_ADJECTIVE_ENDINGS_DE = ("e", "en", "er", "es", "em")


def _leading_adjectives_de(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """A capitalised adjective inside a sentence right before an organisation's or a name's NER span is part of the
    name ("Das Internationale Olympische Komitee": the NER's "Olympische Komitee"): German writes an adjective in
    lower case otherwise ("die neue Regierung"). Only adjectives after the name's article or a preposition, only where
    the NER span has no candidate or the KB knows the longer name; not at a sentence's start, not a word another mention covers, not a demonym (``_adjective_in_name_de``
    decides those)."""
    out = []
    ends = {m.end for m in mentions}
    for m in mentions:
        if m.type not in ("ORG", "MISC") or "ner" not in m.source.split("+"):
            out.append(m)
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        start = span.start if span is not None else 0
        while start > 0:
            prv = doc[start - 1]
            word = prv.text
            if prv.is_sent_start or not (word[:1].isupper() and word.isalpha() and not word.isupper()) \
                    or not word.lower().endswith(_ADJECTIVE_ENDINGS_DE) or prv.pos_ != "ADJ" \
                    or prv.idx + len(word) in ends or any(c.kind == "demonym" for c in kb.lookup(word, lang="de")):
                break
            start -= 1
        if span is None or start == span.start or start == 0 or doc[start - 1].pos_ not in ("DET", "ADP"):
            out.append(m)  # the name's article before the adjectives: "das Internationale ...", "beim Roten ..."
            continue
        begin = doc[start].idx
        text = doc_text(doc)[begin:m.end]
        cands = tuple(c for c in kb.lookup(text, lang="de", limit=10) if c.type == m.type)
        if m.candidates and not cands:
            out.append(m)
            continue
        out.append(replace(m, start=begin, text=text, candidates=cands, kind=cands[0].kind if cands else None))
    return out


#: abbreviations after a German place name that belong to it: "Frankfurt a. M." (am Main), "Köln a. Rh.",
#: "Hall i. T." (in Tirol), "Freiburg i. Br.", "Neustadt a. d. Weinstraße", "Halle (Saale)" is not covered
_QUALIFIER = re.compile(r"(?:[aibo] ?\.\s?(?:d ?\.\s?)?[A-ZÄÖÜ][a-zäöü]{0,3}(?: ?\.)?|a\.M\.|a\.Rh\.)")


def _place_qualifier_de(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'Frankfurt a. M.', 'Köln a. Rh.', 'Hall i. T.': the abbreviated river or region after a place is part of
    its mention (the candidates stay those of the place)."""
    text = doc_text(doc)
    out: list[Mention] = []
    for i, m in enumerate(mentions):
        nxt_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        if m.type == "LOC" and m.kind != "demonym" and text[m.end:m.end + 1] == " ":
            hit = _QUALIFIER.match(text, m.end + 1, min(nxt_start, m.end + 12))
            if hit:
                end = hit.end()
                out.append(replace(m, end=end, text=text[m.start:end]))
                continue
        out.append(m)
    return out


def _drop_nested(mentions: Sequence[Mention]) -> list[Mention]:
    """The longest mentions first; a mention overlapping one kept is dropped. The kept ones never overlap, so
    each new one is checked against its neighbours in start order only (linear-logarithmic on long texts)."""
    kept: list[Mention] = []
    starts: list[int] = []  # of ``kept``, in order
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        at = bisect.bisect_left(starts, m.end)  # kept[:at] start before m ends
        if at and kept[at - 1].end > m.start:
            continue
        kept.insert(at, m)
        starts.insert(at, m.start)
    return kept


#: AP abbreviations of US states that are also English words, which the KB does not take as names
#: (``kb.compile.places.AP_WORDS``), and Texas's older one: states only after "City, " ("Springfield, Ill.")
AP_STATE_WORDS = {"Ill.": "Illinois", "Miss.": "Mississippi", "Mass.": "Massachusetts", "Wash.": "Washington",
                  "Ore.": "Oregon", "La.": "Louisiana", "Mo.": "Missouri", "Pa.": "Pennsylvania", "Ind.": "Indiana",
                  "Del.": "Delaware", "Tex.": "Texas"}
_AP_STATE = re.compile(r", (" + "|".join(re.escape(a[:-1]) for a in AP_STATE_WORDS) + r")\.")


def _ap_states(mentions: list[Mention], kb: KnowledgeBase, text: str) -> list[Mention]:
    """'Springfield, Ill.', 'Austin, Tex.': after a place and a comma, an AP abbreviation that is also a word names
    the US state (the KB's state of that name), so that ``_city_state`` makes the pair one mention of the city."""
    out: list[Mention] = []
    skip = -1
    for k, m in enumerate(mentions):
        if k == skip:
            continue
        out.append(m)
        ap = _AP_STATE.match(text, m.end) if m.type == "LOC" and m.candidates else None
        if ap is None:
            continue
        state = [c for c in kb.lookup(AP_STATE_WORDS[ap.group(1) + "."], lang="en", limit=10)
                 if c.type == "LOC" and "Q30" in _place_countries(kb, c.qid)]
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if not state or nxt is not None and nxt.start < ap.end() and nxt.start != ap.start(1):
            continue
        if nxt is not None and nxt.start == ap.start(1):
            skip = k + 1  # the NER's "Ill." (no candidates) or "Tex"
        out.append(Mention(ap.start(1), ap.end(), text[ap.start(1):ap.end()], "LOC", "rules", m.sentence,
                           kind="short", candidates=tuple(state)))
    return out


def _city_state(mentions: list[Mention], kb: KnowledgeBase, text: str) -> list[Mention]:
    """'Denver, Colorado', 'Blackpool, Lancashire': a place, a comma and a larger place it lies in (not a
    country: 'Paris, France' stays two) make one mention of the first place, whose candidates are those that
    lie in the second; the larger place may be a KB name with its own comma ('Blackpool, Lancashire, England':
    any place of the name before that comma counts)."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and prev.type == "LOC" and m.type == "LOC" and m.kind != "demonym" \
                and text[prev.end:m.start] == ", " and prev.candidates and m.candidates:
            larger = {c.qid for c in m.candidates if c.type == "LOC" and not _is_country(kb, c.qid)}
            if ", " in m.text:  # "Lancashire, England" (a KB name): every place named "Lancashire" too
                larger |= {c.qid for c in kb.lookup(m.text.split(", ", 1)[0], lang="en", limit=10)
                           if c.type == "LOC" and not _is_country(kb, c.qid)}
            countries = {q for c in m.candidates if c.qid in larger for q in _place_countries(kb, c.qid)}
            inside = [c for c in prev.candidates if c.type == "LOC" and kb.related(c.qid) & larger and not (
                countries and (home := _place_countries(kb, c.qid)) and not countries & set(home))]  # related, not in it: "Hamburg, New York"
            if inside:
                out[-1] = replace(prev, end=m.end, text=text[prev.start:m.end], source=_join_sources(prev.source, m.source),
                                  candidates=tuple(inside))
                continue
        out.append(m)
    return out


def _split_city_country(mentions: list[Mention], kb: KnowledgeBase, text: str, sentences) -> list[Mention]:
    """A KB name of the form 'Paris, France' (an alias some sources give) is two mentions, the place and its
    country, as when the KB does not know the pair (``_city_state``)."""
    out: list[Mention] = []
    for m in mentions:
        head, sep, tail = m.text.rpartition(", ")
        if m.type == "LOC" and sep and head and "kb" in m.source.split("+") and "," not in head:
            place = [c for c in kb.lookup(head, lang="en", limit=10) if c.type == "LOC"]
            country = [c for c in kb.lookup(tail, lang="en", limit=10) if c.type == "LOC"]
            if place and country and _is_country(kb, country[0].qid):
                t0 = m.start + len(head) + len(sep)
                out.append(replace(m, end=m.start + len(head), text=head, kind=place[0].kind, candidates=tuple(place)))
                out.append(replace(m, start=t0, text=tail, kind=country[0].kind, candidates=tuple(country),
                                   sentence=sentence_index(sentences, t0)))
                continue
        out.append(m)
    return out


#: P31 classes of countries: "Paris, France" is two mentions (a state or province makes one: "Madison, Wisconsin")
COUNTRY_CLASSES = frozenset({"Q6256", "Q3624078", "Q7275", "Q3024240", "Q161243"})


def _is_country(kb: KnowledgeBase, qid: str) -> bool:
    """A country by its classes, or a former one: a state the KB gives an end (P576) that a country succeeded
    (P1366: Austria-Hungary, Nazi Germany) or that its description calls a country (the Soviet Union, East Germany):
    the KB gives historic states no classes."""
    ent = kb.entity(qid)
    if ent is None:
        return False
    if COUNTRY_CLASSES & set(ent.classes):
        return True
    if not ent.claims.get("P576"):
        return False
    return "country" in (ent.descriptions.get("en") or "") or any(
        (s := kb.entity(q)) is not None and COUNTRY_CLASSES & set(s.classes) for q in ent.claims.get("P1366", ()))


def _inside_longer_name(doc: Doc, m: Mention, mentions: Sequence[Mention], starts: Sequence[int]) -> bool:
    """A place or nationality the KB matched alone, but written as part of a longer capitalised name or an
    event's name (English); any KB name before a capitalised number word ("Air Force One", "Formula One").
    ``mentions`` are in start order (``starts``) and do not overlap."""
    if "kb" not in m.source.split("+"):
        return False

    def taken(char: int) -> bool:  # another mention covers the offset
        j = bisect.bisect_right(starts, char) - 1
        return j >= 0 and mentions[j] is not m and char < mentions[j].end

    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    nxt = doc[span.end] if span.end < len(doc) else None
    if m.source == "kb" and nxt is not None and nxt.is_title and nxt.like_num and not nxt.is_sent_start:
        return True  # the number is part of the name: "Air Force" (a newspaper) is not meant in "Air Force One"
    if (nxt is not None and nxt.is_title and nxt.lower_ in NAME_HEADS and m.kind != "demonym"
            and not span[-1].text.endswith(("'s", "’s")) and not nxt.is_sent_start
            and not taken(nxt.idx)):
        return True  # "Niels Bohr Institute", "Nobel Prize", "Kennedy Airport": the name of something else
    if m.type != "LOC":
        return False
    prv = doc[span.start - 1] if span.start > 0 else None
    if nxt is not None and nxt.lower_ in EVENT_HEADS and m.kind != "demonym":
        return True  # "Paris attacks", "Minsk agreements"
    def name_word(tok: Token | None) -> bool:
        return (tok is not None and _is_name_token(tok) and not tok.is_sent_start and not tok.text.isupper()
                and tok.lower_ not in stopwords("en") and tok.lower_ not in role_parts("en")
                and not find_role(tok.text, tok.lemma_ or tok.text, "en") and tok.lower_ not in _DAYS_MONTHS
                and not taken(tok.idx))

    if m.source != "kb":
        return False  # the NER saw this name alone
    if name_word(nxt) and not span[-1].text.endswith(("'s", "’s")):
        return True  # "British Met Office", "Berlin Wall"
    return m.kind != "demonym" and name_word(prv) and not span[0].is_sent_start  # "Latin America"


#: capitalised heads of an event's, a treaty's or an institution's name "HEAD of PLACE" ("Battle of Hastings",
#: "Treaty of Utrecht", "Congress of Vienna", "Bank of Ghana"): the place is part of that name, not meant alone
EVENT_HEADS_OF = frozenset("""battle battles siege sack treaty treaties peace congress council convention conventions
    edict declaration accord accords agreement protocol charter armistice truce massacre liberation capitulation
    partition conference""".split())
INSTITUTION_HEADS_OF = frozenset("""university college school academy institute museum library bank port cathedral
    abbey archdiocese diocese observatory conservatory""".split())
#: heads of an administrative unit's name "HEAD of PLACE" ("London Borough of Southwark", "City of Toronto",
#: "Province of Ontario"): the whole name is the place
ADMIN_HEADS_OF = frozenset("""borough county city province state prefecture municipality district canton township
    parish region""".split())
#: heads of a sea's, a bay's or a mountain's name "HEAD of PLACE" ("Gulf of Mexico", "Bay of Bengal"): another place
GEO_HEADS_OF = frozenset("gulf bay sea strait straits cape isle isles lake mount channel".split())
#: German heads of such names before "von" ("Vertrag von Versailles", "Schlacht von Verdun", "Bank von England",
#: "Golf von Mexiko"), also as the end of a compound ("Friedensvertrag", "Nationalbank") and inflected
#: ("des Vertrages", "des Friedens"). Not heads after which "von" names an agent ("eine Erklärung von Russland")
EVENT_HEADS_VON = ("schlacht", "belagerung", "vertrag", "verträge", "friede", "frieden", "kongress", "kongreß",
                   "konzil", "edikt", "abkommen", "konferenz", "waffenstillstand", "kapitulation", "massaker")
INSTITUTION_HEADS_VON = ("universität", "hochschule", "akademie", "bank", "museum", "bistum", "diözese",
                         "sternwarte", "bibliothek")
GEO_HEADS_VON = ("golf", "bucht", "meerenge")


def _head_kind(tok: Token, lang: str) -> str | None:
    """Which kind of name a capitalised head word before "of" / "von" begins: event, institution, admin, geo."""
    if not tok.is_title:
        return None
    word = tok.lower_.replace("ſ", "s")
    if lang == "en":
        return "event" if word in EVENT_HEADS_OF else "institution" if word in INSTITUTION_HEADS_OF else \
            "admin" if word in ADMIN_HEADS_OF else "geo" if word in GEO_HEADS_OF else None
    if word in ("straße", "strasse"):
        return "geo"  # "Straße von Gibraltar"; not a compound ("Hauptstraße von ...") nor the plural
    stems = [word] + [word[:-len(e)] for e in ("s", "es", "n", "en") if word.endswith(e)]
    for kind, heads in (("event", EVENT_HEADS_VON), ("institution", INSTITUTION_HEADS_VON), ("geo", GEO_HEADS_VON)):
        if any(stem.endswith(heads) for stem in stems):
            return kind
    return None


def _head_of_place(doc: Doc, mentions: list[Mention], kb: KnowledgeBase, lang: str = "en") -> list[Mention]:
    """The longest name wins for "HEAD of PLACE" (English; German "HEAD von PLACE": "Vertrag von Versailles",
    "Bank von England", "Golf von Mexiko"): a place after "of" and a capitalised head noun is part
    of the longer name. An event's, treaty's or institution's name ("Treaty of Utrecht", "Battle of Britain") is
    one mention with no candidates (an unlinked entity, when the KB did not know the whole name: the spotter
    would have taken it), an institution's name with the organisations the KB knows under the other order of its
    words ("University of Utrecht": Utrecht University, ``lookup_variants``); a sea's, bay's or mountain's name
    ("Gulf of Mexico") one place without candidates; an administrative unit's name ("London Borough of Southwark",
    "the City of Toronto") is one mention of the place, unless a capitalised word no mention covers comes before
    the head ("Islamic State of Iraq": a longer name, unlinked). A mention that the head noun ends ("Congress" the
    US Congress, the NER's "London Borough") is part of the name too."""
    out: list[Mention] = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand") if m.type == "LOC" and m.kind != "demonym" else None
        if span is None or span.start < 2 or doc[span.start - 1].lower_ != ("of" if lang == "en" else "von"):
            out.append(m)
            continue
        head = doc[span.start - 2]
        kind = _head_kind(head, lang)
        if kind is None:
            out.append(m)
            continue
        if span.end_char > m.end and doc_text(doc)[m.end] in _HYPHENS:
            m = replace(m, end=span.end_char)  # the place is the first part of a hyphenated name: "Brest-Litowsk"
        start = head.idx
        while out and out[-1].end > start:  # a mention of the head, or one the head noun ends
            if out[-1].end == head.idx + len(head.text):
                start = min(start, out[-1].start)
            out.pop()
        text = doc_text(doc)
        if out and out[-1].end + 1 == start and text[out[-1].end] == " " and out[-1].kind != "demonym":
            start = out.pop().start  # a name before the head: "London Borough of Southwark"
        before = doc[head.i - 1] if head.i and start == head.idx else None
        longer = before is not None and before.is_title and not before.is_sent_start and _is_name_token(before)
        longer = longer and lang == "en"  # German capitalises every noun
        if kind == "admin" and not longer:
            places = tuple(c for c in m.candidates if c.type == "LOC")
            out.append(replace(m, start=start, text=text[start:m.end], kind=None, candidates=places))
        elif kind in ("admin", "geo"):
            start = before.idx if longer and before is not None else start
            out.append(replace(m, start=start, text=text[start:m.end], kind=None, candidates=(),
                               type="LOC" if kind == "geo" else "ORG"))
        else:
            institution = kind == "institution"
            variants = getattr(kb, "lookup_variants", None) if lang == "en" else kb.lookup
            cands = variants(text[start:m.end], lang=lang, limit=10) if institution and callable(variants) else []
            out.append(replace(m, start=start, text=text[start:m.end], kind=None, type="ORG" if institution else "MISC",
                               candidates=tuple(c for c in cands if c.type == "ORG")))
    return out


#: words of an institution's or a facility's name that a city's name before it makes the one in that city ("the
#: Berlin Natural History Museum", "a Lyon university hospital" is no name: lowercase)
CITY_INSTITUTION_HEADS = frozenset("""museum museums library institute university college school academy hospital
    clinic orchestra theatre theater opera zoo observatory gallery conservatory cathedral""".split())


def _place_before_institution(mentions: list[Mention], kb: KnowledgeBase, text: str) -> list[Mention]:
    """A city right before an institution's name the KB knows ("the Berlin Natural History Museum") is one name,
    the institution in that city (English): of the institution name's candidates, those whose names or description
    name the place or whose KB claims place it there, or that bear the name as their label and lie in the place's
    country (the KB knows many institutions' country, few their city); none left, the whole name is an unlinked
    entity (the KB's Natural History Museum is London's, its Natural History Museum in Germany only an alias of
    another museum). An adjective of nationality stays ("the Italian Ministry of Defence": the
    document's country decides among the ministries)."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is None or prev.type != "LOC" or prev.kind == "demonym" or m.type != "ORG" or not m.candidates \
                or text[prev.end:m.start] != " " or " " not in m.text.strip() or prev.text.endswith(("'s", "’s")) \
                or not any(w.lower() in CITY_INSTITUTION_HEADS for w in m.text.split()) \
                or not any(c.type == "LOC" for c in prev.candidates):
            out.append(m)
            continue
        places = {c.qid for c in prev.candidates if c.type == "LOC"}
        place = _fold(prev.text)
        countries = {q for p in places for q in _place_countries(kb, p)}
        keep = tuple(c for c in m.candidates if _names_place(kb, c.qid, place) or kb.related(c.qid) & places
                     or c.kind == "label" and _in_country(kb, c.qid, countries))
        out[-1] = replace(m, start=prev.start, text=text[prev.start:m.end], source=_join_sources(prev.source, m.source),
                          kind=None, candidates=keep)
    return out


def _names_place(kb: KnowledgeBase, qid: str, place: str) -> bool:
    """Does one of the entity's labels or descriptions name the (folded) place?"""
    ent = kb.entity(qid)
    return ent is not None and any(re.search(rf"\b{re.escape(place)}\b", _fold(t))
                                   for t in (*ent.labels.values(), *ent.descriptions.values()))


def _in_country(kb: KnowledgeBase, qid: str, countries: set[str]) -> bool:
    """Does the KB place the organisation in one of ``countries`` (a claim, or its description's "... in
    <country>")?"""
    if kb.related(qid) & countries:
        return True
    ent = kb.entity(qid)
    desc = _fold(ent.descriptions.get("en", "")) if ent is not None else ""
    names = (kb.entity(q) for q in countries)
    return bool(desc) and any(e is not None and desc.endswith(" in " + _fold(e.label("en"))) for e in names)


def _place_countries(kb: KnowledgeBase, qid: str) -> tuple[str, ...]:
    """The country a place lies in (its ``P17`` claim), or the place itself when it is a country."""
    ent = kb.entity(qid)
    if ent is None:
        return ()
    return (qid,) if COUNTRY_CLASSES & set(ent.classes) else tuple(ent.claims.get("P17", ()))


#: a KB organisation name "NAME in PLACE" ("Washington University in St. Louis")
_NAME_IN_PLACE = re.compile(r"^(\S+(?: \S+)+) in ((?:[A-Z][\w.'’\-]*)(?: [A-Z][\w.'’\-]*)*)$")


def _split_name_in_place(mentions: list[Mention], kb: KnowledgeBase, text: str) -> list[Mention]:
    """A KB organisation's name of the form "NAME in PLACE" ("Washington University in St. Louis", "Swiss Federal
    Institute of Technology in Zurich") is two mentions, the organisation by its name and the place it names, as a
    KB alias "City, Country" is (``_split_city_country``): the place is a place the text mentions (English). A
    longer place name the text goes on with is that place ("Columbia University in New York| City")."""
    out: list[Mention] = []
    for m in mentions:
        found = _NAME_IN_PLACE.match(m.text) if m.type == "ORG" and m.candidates and "kb" in m.source.split("+") else None
        places = [c for c in kb.lookup(found.group(2), lang="en", limit=10) if c.type == "LOC"] if found else []
        if found and places:
            name, t0, end = found.group(1), m.end - len(found.group(2)), m.end
            more = _NEXT_NAME_WORD.match(text, end)
            longer = [c for c in kb.lookup(text[t0:more.end()], lang="en", limit=10) if c.type == "LOC"] if more else []
            if more and longer:
                places, end = longer, more.end()
            out.append(replace(m, end=m.start + len(name), text=name))
            out.append(replace(m, start=t0, end=end, text=text[t0:end], type="LOC", kind=places[0].kind,
                               candidates=tuple(places)))
            continue
        out.append(m)
    return out


_NEXT_NAME_WORD = re.compile(r" [A-Z][\w'’\-]*")


#: nouns of a work whose title follows them ("the novel Death in Venice", "the film Lost in Tokyo")
WORK_NOUNS = frozenset("""novel novels book books film films movie movies song songs album albums play plays opera
    operas poem poems series documentary documentaries painting paintings musical musicals single singles
    memoir memoirs""".split())
_WORK_NOUN = re.compile(r"\b(" + "|".join(sorted(WORK_NOUNS)) + r") (?=[A-Z])")
#: lowercase words inside a title ("Death in Venice", "Lord of the Rings", "War and Peace")
_TITLE_JOINERS = frozenset("in of the a an and to for on at with from".split())


def _title_end(doc: Doc, i: int) -> int:
    """The end (token index) of a title that begins at token ``i``: capitalised words, and up to two lowercase
    joining words between them ("and" only right before a capitalised word); ``i`` when no capitalised word is
    there."""
    end = k = i
    while k < len(doc):
        tok = doc[k]
        if tok.is_title and not tok.is_punct:
            k += 1
            end = k
            continue
        joiners = 0
        while k < len(doc) and doc[k].lower_ in _TITLE_JOINERS and doc[k].is_lower and joiners < 2:
            if doc[k].lower_ == "and" and not (k + 1 < len(doc) and doc[k + 1].is_title):
                break
            k += 1
            joiners += 1
        if not joiners or k >= len(doc) or not doc[k].is_title:
            break
    return end


def _work_titles(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A title of several words after a noun for a work ("the novel Death in Venice", "the film Lost in Tokyo") is
    one name: a place inside it is not meant (English). The title becomes one mention without candidates (an
    unlinked work), unless a mention already covers it whole. A one-word title is left alone ("the book Obama
    wrote": the NER's and the KB's reading stand)."""
    titles = []
    for found in _WORK_NOUN.finditer(doc_text(doc)):  # the text searched once, no loop over the tokens
        span = doc.char_span(found.start(1), found.end(1))
        if span is not None and span.end < len(doc) and doc[span.end].is_title:
            end = _title_end(doc, span.end)
            if end - span.end >= 2:
                titles.append(doc[span.end:end])
    if not titles:
        return mentions
    starts = [m.start for m in mentions]  # in start order, no two overlapping (``refine_boundaries``)
    gone: set[int] = set()
    added = []
    for title in titles:
        start, end = title.start_char, title.end_char
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end, lo)
        inside = mentions[lo:hi]
        if not any(m.type == "LOC" for m in inside) or any((m.start, m.end) == (start, end) for m in inside):
            continue
        if lo and mentions[lo - 1].end > start or inside[-1].end > end:
            continue  # a mention runs across the title's bounds: not sure where the title ends
        gone.update(range(lo, hi))
        added.append(replace(inside[0], start=start, end=end, text=title.text, type="MISC", kind=None, candidates=(),
                             source=_join_sources(*(m.source for m in inside))))
    if not added:
        return mentions
    return sorted([m for k, m in enumerate(mentions) if k not in gone] + added, key=lambda m: m.start)


#: capitalised heads of a building's or an institution's name after a possessive ("St. Paul's Cathedral", "Guy's
#: Hospital", "St Patrick's College"), and the type of the name they make
_POSSESSIVE_HEADS = {**dict.fromkeys("""cathedral church chapel abbey basilica minster priory temple mosque synagogue
    hall square park street road gate bridge island""".split(), "LOC"),
                     **dict.fromkeys("school college university hospital infirmary academy".split(), "ORG")}
_POSSESSIVE = frozenset(("'s", "’s", "'", "’"))


def _possessive_names(doc: Doc, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """A name with a possessive before a building's or an institution's head ("St. Paul's Cathedral", "St George's
    Hospital") is part of that longer name, not a mention of its own (the apostle, the city of St. Paul): the whole
    is one mention, with the KB's entities of that name (none: an unlinked name). Not when the head begins a longer
    descriptive name ("Harvard's School of Public Health") or another name follows it; a possessive before a name
    of its own stays ("Britain's Royal Navy", "Harvard's Kennedy School"). English."""
    out = list(mentions)
    for k, m in enumerate(mentions):
        if m.type not in ("PER", "LOC", "ORG") or m.text.endswith(("'s", "’s")):
            continue
        span = doc.char_span(m.start, m.end)
        if span is None or span.end + 1 >= len(doc) or doc[span.end].text not in _POSSESSIVE:
            continue
        head = doc[span.end + 1]
        type_ = _POSSESSIVE_HEADS.get(head.lower_) if head.is_title else None
        after = doc[head.i + 1] if head.i + 1 < len(doc) else None
        if type_ is None or after is not None and (after.is_title or after.lower_ == "of"):
            continue
        whole = doc[span.start:head.i + 1]
        cands = [c for c in kb.lookup(whole.text, lang="en", limit=10) if c.type in ("ORG", "LOC")]
        out[k] = replace(m, end=whole.end_char, text=whole.text, type=cands[0].type if cands else type_, kind=None,
                         entity_key=None, candidates=tuple(cands))
    if out == mentions:
        return mentions
    result: list[Mention] = []
    for m in out:  # a mention of the head alone ("Cathedral") goes into the longer name
        if result and m.start < result[-1].end:
            if m.end - m.start > result[-1].end - result[-1].start:
                result[-1] = m
            continue
        result.append(m)
    return result


#: English combining forms of nationality before a hyphen ("Franco-German", "Sino-Japanese", "Anglo-Dutch")
COMBINING_FORMS = frozenset("""anglo franco austro sino russo italo greco indo afro euro judeo hispano germano luso
    polono serbo turco nippo scoto hiberno dano swedo helleno belgo""".split())
_COMBINED = re.compile(r"\b([A-Z][a-z]+o)-$")


def _without_combining_forms(mentions: list[Mention], text: str) -> list[Mention]:
    """An adjective of two nations made with a combining form ("the Franco-German brigade", "Austro-Hungarian",
    "the Sino-Japanese War") names no one country: neither the combining form (not Franco the dictator) nor the
    adjective after it (Hungary) is a mention (as the examples' guidelines leave "deutsch-französisch" out). A KB
    name that goes on across the hyphen stays ("Indo-Pacific", "Austria-Hungary": one mention). English."""
    out = []
    for m in mentions:
        word = m.text.lower()
        if word in COMBINING_FORMS and text[m.end:m.end + 1] == "-" and text[m.end + 1:m.end + 2].isupper():
            continue
        before = _COMBINED.search(text, max(0, m.start - 12), m.start)
        if m.kind == "demonym" and before is not None and before.group(1).lower() in COMBINING_FORMS:
            continue
        out.append(m)
    return out
