"""A name before the hyphen of a German compound ("Siemens-Chef", "EU-Kommissar", "VW-Chef") is a mention, also
when a statistical NER (simulated here: ``ents`` set by the test) tags nothing there; a common noun before the
hyphen is not. Sentences written for these tests; bundled KB (``kgbuild.mentions``)."""
from __future__ import annotations

import pytest
from test_mentions_historic import found


@pytest.mark.parametrize("ner", [None, [], [("Roland Busch", "PER")]])
def test_company_before_a_hyphen_is_a_mention_without_the_ner(nlp_de, kb, ner):
    # Siemens' prior is below the one a lone word needs without the NER; the compound makes it a name
    out = found(nlp_de, kb, "In München sprach der Siemens-Chef Roland Busch über neue Werke.", ner=ner)
    assert out.get("Siemens") == "Q81230"


@pytest.mark.parametrize("ner", [None, []])
def test_two_letter_acronym_before_a_hyphen(nlp_de, kb, ner):
    out = found(nlp_de, kb, "Der frühere EU-Kommissar lobte den VW-Chef in Wolfsburg.", ner=ner)
    assert out.get("EU") == "Q458"
    assert out.get("VW") == "Q246"


def test_common_noun_before_a_hyphen_is_no_mention(nlp_de, kb):
    out = found(nlp_de, kb, "Die Wasser-Versorgung der Stadt Berlin war am Montag gestört.", ner=[])
    assert "Wasser" not in out
    assert out.get("Berlin") == "Q64"


def test_lowercase_or_one_letter_head_is_no_mention(nlp_de, kb):
    out = found(nlp_de, kb, "Die U-Bahn fuhr am Montag nicht bis zum Alexanderplatz in Berlin.", ner=[])
    assert "U" not in out
