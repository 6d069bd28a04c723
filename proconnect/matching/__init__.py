"""Match-making between participants and companies' places, by explicit and explainable rules."""
