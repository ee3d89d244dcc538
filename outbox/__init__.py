"""The outbox: every email the portal sends is first a row, written in the transaction of
the change it reports, then sent by a task and marked sent.

A lost task, a dead worker, a broker outage or a mail server that says "later" only delay
an email: a beat sweep (`OUTBOX_SWEEP_SECONDS`) hands every due row to a worker again.
Delivery is at least once (a worker that dies after the server took a message sends it
again once its lease ends); every row carries its own Message-ID, so a duplicate is
recognisable. The SMS gateway (`sms/`) keeps its own records, swept the same way.
"""
