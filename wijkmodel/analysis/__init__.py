"""What the numbers say: the profile of a municipality, the tables behind pages, perspectives,
progress, priority, the wijk analysis and the dialogue."""
