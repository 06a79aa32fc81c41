"""Stories, scenes and choices, their analysis and playthroughs; quests; relationships."""
