"""Invent a name (one to many): the conditioned character-level generator, its sampling and its n-gram yardstick."""
