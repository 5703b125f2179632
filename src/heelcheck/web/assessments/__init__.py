"""The patient flow: one assessment from the first question to the result."""
