"""Translate a number (many to many, read everything then write): English number words into Chinese numerals."""
