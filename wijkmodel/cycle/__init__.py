"""The improvement cycle: targets and energy, core choices, the action plan."""
