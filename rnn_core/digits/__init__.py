"""Draw a digit: MNIST read one row per time step, the drawing pen, the digit models and their story."""
