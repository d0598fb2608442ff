"""The förvaltning template (contract §1, §7): its declaration, model, reader, rules and writer."""
