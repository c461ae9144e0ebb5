"""kgbuild's stages as spaCy factories in a user's own pipeline (registered through entry points)."""
import datetime as dt

import spacy


def test_components_in_a_blank_pipeline():
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    for name in ("kgbuild_mentions", "kgbuild_linker", "kgbuild_relations"):
        nlp.add_pipe(name)
    doc = nlp.make_doc("Der russische Präsident Wladimir Putin reiste heute nach Pjöngjang.")
    doc._.kgbuild_published = dt.date(2024, 6, 19)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    spans = {s.text: s.kb_id_ for s in doc.spans["kgbuild"]}
    assert spans["Wladimir Putin"] == "Q7747" and spans["Pjöngjang"] == "Q18808"
    visits = [e for e in doc._.kgbuild_events if e.relation == "visits"]
    assert visits and visits[0].subject == "Q7747" and visits[0].time == dt.date(2024, 6, 19)
    assert any(e.relation == "holdsPositionIn" and e.object == "Q159" for e in doc._.kgbuild_events)


def test_components_linker_needs_mentions():
    import pytest

    nlp = spacy.blank("en")
    nlp.add_pipe("kgbuild_linker")
    with pytest.raises(ValueError, match="kgbuild_mentions"):
        nlp("Putin visited Pyongyang.")
