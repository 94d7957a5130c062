"""Classification: which countries and topics an article is about.

Pure code over the tables in `bot/data` (hand-kept, or generated from iso-codes and GeoNames by
`scripts/`); it imports only `bot.models` and `bot.errors` from the rest of newsbot.
"""
