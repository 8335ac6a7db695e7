"""Made-up data: the demo municipality with its figures and map, the synthetic country, the scoring benchmark."""
