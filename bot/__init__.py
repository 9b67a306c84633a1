"""The conversation layer: Rasa training data and the application code that runs it."""
