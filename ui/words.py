"""Small helpers for the words the pages show."""


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 drawing', '3 drawings', '1,000 names': the number with the noun in the form it takes."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
