"""The nämnd level (contract §2, §4, §5, §8): templates → the nämnd's summary, texts and documents."""
