"""model → form contexts: sections and fields laid out in rows, the questionnaire."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import Form, FormField, Override, Questionnaire
from generator.printables.planbase import PlannerBase, numeral
from generator.printables.views import (
    AnswerView,
    Choice,
    FieldRow,
    FieldView,
    FormDoc,
    LevelView,
    OverrideLine,
    Printable,
    QuestionnaireView,
    QuestionView,
    SectionView,
)


class FormPlanner(PlannerBase):
    def forms(self) -> Iterator[Printable]:
        for f in self.model.forms.values():
            yield Printable("forms", f.id, "form.html", self.form(f), True)

    def field(self, f: FormField, condition: str = "") -> FieldView:
        m = self.model
        if f.type == "multi_choice":
            choices = tuple(Choice(f"{f.id}:{o.id}", "Yes", m.text(o.label)) for o in f.options)
        else:
            choices = tuple(Choice(f.id, o.id, m.text(o.label)) for o in f.options)
        option_text = sum(len(c.label) + 3 for c in choices)
        # An identity number's 18 cells take a row; so do long options and texts.
        wide = (f.type in ("textarea", "multi_choice", "checkbox", "id_number") or f.lines > 1
                or option_text > 16 or len(f.label) > 14)
        return FieldView(f.id, m.text(f.label), f.type, f.required, m.text(f.hint), f.unit,
                         max(f.lines, 3 if f.type == "textarea" else 1), choices, wide,
                         f.derived, condition)

    def form(self, form: Form) -> FormDoc:
        m = self.model
        sections = []
        for k, s in enumerate(form.sections):
            rows: list[FieldRow] = []
            pending: list[FieldView] = []
            for f in s.fields:
                view = self.field(f, form.condition_text(f))
                if view.wide:
                    if pending:
                        rows.append(FieldRow(tuple(pending)))
                        pending = []
                    rows.append(FieldRow((view,)))
                    continue
                pending.append(view)
                if len(pending) == 2:
                    rows.append(FieldRow(tuple(pending)))
                    pending = []
            if pending:
                rows.append(FieldRow(tuple(pending)))
            # The questionnaire's questions come after the first section and take a number.
            number = numeral(k + 1 if form.questionnaire and k >= 1 else k)
            sections.append(SectionView(number, m.text(s.title), m.text(s.note), tuple(rows)))
        questionnaire = None
        if form.questionnaire and form.questionnaire in m.questionnaires:
            questionnaire = self.questionnaire(m.questionnaires[form.questionnaire])
        steps = tuple(dict.fromkeys(self.step_title(f.filled_at) for f in form.fields))
        return FormDoc(
            self.header("表单", form.code, form.title, form.title_en, form.provenance.drafted,
                        form.page_fields),
            m.text(form.purpose), tuple(sections), questionnaire, 1, numeral(1), steps,
            tuple(f.id for f in form.fields if f.type == "id_number"))

    def questionnaire(self, q: Questionnaire) -> QuestionnaireView:
        m = self.model
        letters = "ABCDEFGHIJ"
        width = max(len(x.answers) for x in q.questions)
        return QuestionnaireView(
            m.text(q.title), m.text(q.instructions),
            tuple(QuestionView(f"{q.id}:{x.id}", k + 1, m.text(x.text), m.text(x.topic), tuple(
                AnswerView(a.id, letters[j], m.text(a.text), a.score)
                for j, a in enumerate(x.answers))) for k, x in enumerate(q.questions)),
            tuple(LevelView(lv.id, m.text(lv.title), f"{lv.min_score}–{lv.max_score}",
                            m.text(lv.description), m.text(lv.allows)) for lv in q.levels),
            tuple(letters[:width]), q.min_score, q.max_score, m.text(q.result_title),
            m.text(q.allows_title) if q.allows else "",
            tuple(self.override_line(q, o, letters) for o in q.overrides))

    def override_line(self, q: Questionnaire, o: Override, letters: str) -> OverrideLine:
        numbers = {x.id: (k + 1, [a.id for a in x.answers]) for k, x in enumerate(q.questions)}
        parts = []
        for qid, chosen in o.when.items():
            n, ids = numbers.get(qid, (0, []))
            picked = "/".join(letters[ids.index(a)] if a in ids else a for a in chosen)
            parts.append(f"第{n}题选{picked}" if n else f"{qid} 选 {picked}")
        level = q.level(o.level)
        name = f"{o.level} {self.model.text(level.title)}" if level else o.level
        return OverrideLine(self.model.text(o.title), "且".join(parts),
                            ("至多为 " if o.effect == "cap" else "定为 ") + name)

    # -- flow sheets

