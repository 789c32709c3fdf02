"""Name classifier: the names-v1 split, the ensemble of character-level BiGRU members and its n-gram vote."""
