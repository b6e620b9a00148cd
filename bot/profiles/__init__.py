"""A new municipality's profile from its own documents: `drafting` reads the files and writes the draft and
its review list, `checking` loads a profiles folder and verifies every quote (`styrbot profile`)."""
