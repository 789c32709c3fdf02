"""The one classifier training loop, the same loop run in a background thread, and the training page's plans."""
