"""The licensing pages: requests (requests.py) and, beside them, deals."""
