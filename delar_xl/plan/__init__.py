"""The nämnd's plan (contract §4): its declaration, reader, rules, writer, and the check of templates against it."""
