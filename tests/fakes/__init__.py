"""Loopback fakes of the services newsbot talks to: Telegram's Bot API and a news site.

Import them as ``from tests.fakes.telegram import FakeTelegram`` and
``from tests.fakes.news_site import FakeNewsSite``.
"""
