# English dates and times as the site shows them: a 24-hour clock, like the Chinese pages and the times staff
# type. Django's English default ("P": "9:30 a.m.") ends in a full stop, so a sentence that ends with a time
# read "a.m.." (issue 15).
DATETIME_FORMAT = "N j, Y, H:i"
TIME_FORMAT = "H:i"
