"""Heroes and characters: their models, the rule book applied to them, templates."""
