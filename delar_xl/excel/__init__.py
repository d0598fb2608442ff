"""The Excel face: what the ribbon button runs, the questions it asks, and the add-in's installation."""
