"""The game's rules, read from schemas/: attributes, progression, skills, relationship kinds."""

from .book import DerivedStat, Formula, RuleBook, Skill, find_cycles, hyphen_hint, hyphenated_name, load_rule_book, parse_formula, report_expr_error

__all__ = ["DerivedStat", "Formula", "RuleBook", "Skill", "find_cycles", "load_rule_book", "parse_formula",
           "report_expr_error", "hyphen_hint", "hyphenated_name"]
