"""Developer scripts that print figures: classification quality and speed."""
