"""One scan per register: every control over a register, and the per-rule figures,
computed by a single query (a sqlglot tree, rendered for DuckDB or Spark).

The query reads the register once (its references joined), flags every row for every
per-row control (in scope, broken), and aggregates with ``GROUPING SETS``:

- set 0, ``(unit, vkey)``: ``vkey`` is the row's key when it breaks some control and
  NULL otherwise, so the clean rows of a unit fold into one group and each violating
  row is a group of its own: the counts per unit and the violations in one aggregate,
  whose size is the number of units plus the number of violating rows, never the
  number of rows;
- one set per ``group_by`` of the grouped controls (count, rate): a row per group.

(The rows are first aggregated by the finest grouping, unit, vkey and the group
columns, then rolled up into the sets.) A grouped control whose groups are finer than
the unit and whose rules are measured in groups gets a second, narrow scan.

The aggregate is then crossed with the control numbers (``VALUES (-1), (0), …``):
``-1`` keeps every aggregate row (the counts), ``k`` keeps control ``k``'s violations;
the counts then roll up into one row per set and unit (a grouped control's groups in
scope and broken), so what comes back is the units plus the violations, never the
rows or the groups; ordered by control and key, so the engine streams them to the
reporter in batches.

A rule is measured in rows when one of its controls checks rows (the rows in scope of
any of its controls; the rows breaking any, a row in a violating group included), in
groups when all its controls check groups."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from generator.audit.compile import THIS, Compiled, _join, col
from generator.model.registers import Register

F1, F2, AGG, C = "f1", "f2", "g", "c"
SET, UNIT, KEY, VKEY, DETAIL, ITEM = "__set", "__unit", "__key", "__vkey", "__detail", "__i"


def _c(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _flag(e: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=exp.paren(e), expressions=[exp.false()])


def _any(parts: Sequence[exp.Expr]) -> exp.Expr:
    return exp.or_(*parts) if parts else exp.false()


def _eq(name: str, value: int) -> exp.Expr:
    return exp.EQ(this=_c(name), expression=exp.Literal.number(value))


@dataclass(slots=True)
class Counts:
    """What a control or a rule checked and how much broke, in total and per unit."""

    unit: str
    """行 (rows) or 组 (groups)."""
    checked: int = 0
    violations: int = 0
    checked_by_unit: dict[str, int] = field(default_factory=dict)
    violations_by_unit: dict[str, int] = field(default_factory=dict)

    def add(self, unit: str | None, checked: int, violations: int) -> None:
        self.checked += checked
        self.violations += violations
        if unit is not None:
            self.checked_by_unit[unit] = self.checked_by_unit.get(unit, 0) + checked
            self.violations_by_unit[unit] = self.violations_by_unit.get(unit, 0) + violations


@dataclass(slots=True)
class Scan:
    """The query of one register and how to read its rows back."""

    register: Register
    controls: list[tuple[int, Compiled]]
    """(number among all the controls, compiled control) of this register's controls."""
    rules: dict[str, list[int]]
    """Each rule measured in rows here: the local numbers of its controls here."""
    sets: list[tuple[str, ...]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    measures: list[tuple[str, str]] = field(default_factory=list)
    """Per rule (in ``rules`` order): the columns of its rows checked and broken."""

    def group_set(self, c: Compiled) -> int:
        assert c.group is not None
        return 1 + self.sets.index(c.group.groups)

    def query(self) -> exp.Select:
        reg = self.register
        rows = [(k, c) for k, (_, c) in enumerate(self.controls) if c.row is not None]
        grouped = [(k, c) for k, (_, c) in enumerate(self.controls) if c.group is not None]
        for _, c in grouped:
            assert c.group is not None
            if c.group.groups not in self.sets:
                self.sets.append(c.group.groups)
        group_cols = list(dict.fromkeys(g for s in self.sets for g in s))
        unit = (exp.cast(col(reg.unit_column), "VARCHAR") if reg.unit_column
                else exp.cast(exp.Null(), "VARCHAR"))
        key = _join("|", [exp.cast(col(k), "VARCHAR") for k in reg.key])
        # f1: one row per register row, its flags.
        f1: list[exp.Expr] = [unit.as_(UNIT), key.as_(KEY)]
        f1 += [col(g).as_(f"g_{g}") for g in group_cols]
        joins = []
        for k, c in rows:
            assert c.row is not None
            broken = _flag(exp.and_(exp.paren(c.row.scope), c.row.broken))
            f1 += [_flag(c.row.scope).as_(f"s{k}"), broken.as_(f"v{k}"),
                   exp.Case(ifs=[exp.If(this=broken, true=c.row.detail)]).as_(f"d{k}")]
            if c.row.join is not None:
                joins.append(c.row.join)
        for k, c in grouped:
            assert c.group is not None
            f1.append(_flag(c.group.scope).as_(f"s{k}"))
            if c.group.counted is not None:
                f1.append(_flag(exp.and_(exp.paren(c.group.scope), c.group.counted)
                                ).as_(f"m{k}"))
        select = exp.select(*f1, copy=False).from_(exp.to_table(reg.id, alias=THIS, quoted=True),
                                                 copy=False)
        for join in joins:
            select = select.join(join, copy=False)
        # f2: whether the row breaks anything, and each rule's flags.
        f2: list[exp.Expr] = [exp.Star(), exp.Case(ifs=[exp.If(
            this=_any([_c(f"v{k}") for k, _ in rows]), true=_c(KEY))]).as_(VKEY)]
        # A rule's flags are its one control's, or an earlier rule's with the same
        # controls; else the rule gets its own (rs, rv).
        own: dict[tuple[int, ...], tuple[str, str]] = {}
        self.measures = []
        for j, ks in enumerate(self.rules.values()):
            if len(ks) == 1 and self.controls[ks[0]][1].row is not None:
                self.measures.append((f"s{ks[0]}", f"v{ks[0]}"))
                continue
            if tuple(ks) not in own:
                own[tuple(ks)] = (f"rs{j}", f"rv{j}")
                f2 += [_any([_c(f"s{k}") for k in ks]).as_(f"rs{j}"),
                       _any([_c(f"v{k}") for k in ks if self.controls[k][1].row]
                            ).as_(f"rv{j}")]
            self.measures.append(own[tuple(ks)])
        second = exp.select(*f2, copy=False).from_(select.subquery(F1, copy=False), copy=False)
        # g1: one aggregate by the finest grouping (unit, vkey and every group column:
        # a group per unit and group value, plus one per violating row), so that each
        # row is counted once; g: its rows rolled up into the grouping sets.
        finest = [_c(UNIT), _c(VKEY), *(_c(f"g_{g}") for g in group_cols)]
        inner: list[exp.Expr] = list(finest)
        outer: list[exp.Expr] = []
        names = [ITEM, SET, UNIT, KEY, DETAIL]

        def count(name: str, flag: exp.Expr) -> None:
            inner.append(exp.CountIf(this=flag).as_(name))
            outer.append(exp.Sum(this=_c(name)).as_(name))

        for k, _ in rows:
            count(f"s{k}", _c(f"s{k}"))
            count(f"v{k}", _c(f"v{k}"))
            inner.append(exp.Max(this=_c(f"d{k}")).as_(f"d{k}"))
            outer.append(exp.Max(this=_c(f"d{k}")).as_(f"d{k}"))
            names += [f"s{k}", f"v{k}"]
        for k, c in grouped:
            count(f"n{k}", _c(f"s{k}"))
            if c.group is not None and c.group.counted is not None:
                count(f"m{k}", _c(f"m{k}"))
            names += [f"n{k}", f"gv{k}"]
        for j, ks in enumerate(self.rules.values()):
            rs, rv = self.measures[j]
            if rs == f"rs{j}":
                count(rs, _c(rs))
                count(rv, _c(rv))
                names += [rs, rv]
            for k in ks:
                if self.controls[k][1].group is not None and f"mr{j}_{k}" not in names:
                    count(f"mr{j}_{k}", exp.and_(_c(rv), _c(f"s{k}")))
                    names.append(f"mr{j}_{k}")
        first = (exp.select(*inner, copy=False).from_(second.subquery(F2, copy=False), copy=False)
                 .group_by(*finest, copy=False))
        grouping = [exp.func("GROUPING", _c(VKEY))] + [exp.func("GROUPING", _c(f"g_{g}"))
                                                       for g in group_cols]
        ifs = [exp.If(this=exp.EQ(this=grouping[0], expression=exp.Literal.number(0)),
                      true=exp.Literal.number(0))]
        for i, s in enumerate(self.sets):
            bits = [exp.EQ(this=gr, expression=exp.Literal.number(0 if g in s else 1))
                    for gr, g in zip(grouping[1:], group_cols, strict=True)]
            ifs.append(exp.If(this=exp.and_(*bits) if bits else exp.true(),
                              true=exp.Literal.number(i + 1)))
        sets = [exp.Tuple(expressions=[_c(UNIT), _c(VKEY)])] + [
            exp.Tuple(expressions=[_c(f"g_{g}") for g in s]) for s in self.sets]
        agg = (exp.select(exp.Case(ifs=ifs).as_(SET), _c(UNIT), _c(VKEY),
                          *(_c(f"g_{g}") for g in group_cols), *outer, copy=False)
               .from_(first.subquery("g1", copy=False), copy=False)
               .group_by(exp.GroupingSets(expressions=sets), copy=False))
        # The output: -1 keeps every aggregate row, k the violations of control k.
        item = _c("i", C)
        keep: list[exp.Expr] = [exp.EQ(this=item, expression=exp.Literal.number(-1))]
        details: list[exp.If] = []
        keys: list[exp.If] = []
        units: list[exp.If] = [exp.If(this=_eq(SET, 0), true=_c(UNIT))]
        out: list[exp.Expr] = [item.as_(ITEM), _c(SET)]
        gv: list[exp.Expr] = []
        for k, _ in rows:
            keep.append(exp.and_(exp.EQ(this=item, expression=exp.Literal.number(k)),
                                 _eq(SET, 0), exp.GT(this=_c(f"v{k}"),
                                                     expression=exp.Literal.number(0))))
            details.append(exp.If(this=exp.EQ(this=item, expression=exp.Literal.number(k)),
                                  true=_c(f"d{k}")))
        for i, s in enumerate(self.sets):
            keys.append(exp.If(this=_eq(SET, i + 1), true=_join(
                "|", [exp.cast(_c(f"g_{g}"), "VARCHAR") for g in s]) if s
                else exp.Literal.string("(全部)")))
            if reg.unit_column in s:
                units.append(exp.If(this=_eq(SET, i + 1),
                                    true=exp.cast(_c(f"g_{reg.unit_column}"), "VARCHAR")))
        for k, c in grouped:
            n, m = _c(f"n{k}"), _c(f"m{k}") if c.group and c.group.counted else _c(f"n{k}")
            broken = exp.and_(_eq(SET, self.group_set(c)),
                              exp.GT(this=n, expression=exp.Literal.number(0)),
                              exp.not_(exp.paren(c.ok(n, m))))
            gv.append(exp.Case(ifs=[exp.If(this=broken, true=exp.Literal.number(1))],
                               default=exp.Literal.number(0)).as_(f"gv{k}"))
            keep.append(exp.and_(exp.EQ(this=item, expression=exp.Literal.number(k)), broken))
            details.append(exp.If(this=exp.EQ(this=item, expression=exp.Literal.number(k)),
                                  true=c.detail(n, m)))
        keys.insert(0, exp.If(this=_eq(SET, 0), true=_c(VKEY)))
        # The counts (item -1) roll up per set and unit: their key is NULL.
        keys.insert(0, exp.If(this=exp.EQ(this=item, expression=exp.Literal.number(-1)),
                              true=exp.Null()))
        out += [exp.Case(ifs=units).as_(UNIT), exp.Case(ifs=keys).as_(KEY),
                exp.Case(ifs=details).as_(DETAIL) if details else exp.Null().as_(DETAIL)]
        gvs = {g.alias: g for g in gv}
        for name in dict.fromkeys([*names[5:], *gvs]):
            out.append(gvs[name] if name in gvs else _c(name))
        values = exp.values([(exp.Literal.number(i),) for i in range(-1, len(self.controls))],
                            alias=C, columns=["i"])
        self.columns = names
        crossed = (exp.select(*out, copy=False).from_(agg.subquery(AGG, copy=False), copy=False)
                   .join(values, join_type="CROSS", copy=False)
                   .where(exp.or_(*keep, copy=False), copy=False))
        # Then one row per violation (its own key) and, for the counts, one per set and
        # unit: a grouped control's groups in scope and broken, and for each rule the
        # rows of its broken groups that no per-row control of it counted.
        def o(name: str) -> exp.Column:
            return _c(name, "o")

        final: list[exp.Expr] = [o(ITEM), o(SET), o(UNIT), o(KEY),
                                 exp.Max(this=o(DETAIL)).as_(DETAIL)]
        for name in names[5:]:
            if name.startswith("n"):  # a grouped control's groups in scope
                final.append(exp.CountIf(this=exp.GT(
                    this=o(name), expression=exp.Literal.number(0))).as_(name))
            elif name.startswith("mr"):  # a rule's rows of broken groups not yet counted
                g = name.rsplit("_", 1)[1]
                uncounted = exp.Sub(this=o(f"n{g}"), expression=o(name))
                broken = exp.EQ(this=o(f"gv{g}"), expression=exp.Literal.number(1))
                final.append(exp.Sum(this=exp.Case(
                    ifs=[exp.If(this=broken, true=uncounted)],
                    default=exp.Literal.number(0))).as_(name))
            else:
                final.append(exp.Sum(this=o(name)).as_(name))
        return (exp.select(*final, copy=False).from_(crossed.subquery("o", copy=False),
                                                     copy=False)
                .group_by(o(ITEM), o(SET), o(UNIT), o(KEY), copy=False)
                .order_by(_c(ITEM), _c(KEY), copy=False))


def _apart(c: Compiled, rule_units: dict[str, str]) -> bool:
    """A grouped control counted in a scan of its own: grouped by more than the unit,
    for rules measured in groups only. (The scan of the per-row controls aggregates by
    unit and violating row; adding a finer group column to that grouping multiplies
    its groups and costs more than a second scan of the few columns it reads.)"""
    g = c.group
    return (g is not None and g.groups != (c.register.unit_column,)
            and all(rule_units.get(r) != "行" for r in c.control.rules))


def scans(compiled: list[Compiled], rule_units: dict[str, str]) -> Iterator[Scan]:
    """The scans of each register some control reads, in the controls' order: one for
    its per-row controls (and the grouped ones they share a rule or the unit with), one
    for the other grouped controls."""
    by_register: dict[str, list[list[tuple[int, Compiled]]]] = {}
    for i, c in enumerate(compiled):
        parts = by_register.setdefault(c.register.id, [[], []])
        parts[_apart(c, rule_units)].append((i, c))
    for parts in by_register.values():
        for controls in parts:
            if not controls:
                continue
            rules: dict[str, list[int]] = {}
            for k, (_, c) in enumerate(controls):
                for rule in c.control.rules:
                    if rule_units.get(rule) == "行":
                        rules.setdefault(rule, []).append(k)
            yield Scan(controls[0][1].register, controls, rules)
