"""The built-in example (EXEMPELDATA): kommunstyrelsen 2021 at the nämnd level, and one level up."""
