"""The årshjul outside a conversation: the deadline list (`deadlines`), the calendar feed to subscribe to
(`ics`) and the wheel picture (`wheel`), each read from the current rules."""
