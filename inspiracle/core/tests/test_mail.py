import io

from django.core.mail import EmailMessage

from inspiracle.core.mail import ReadableConsoleBackend


def test_mail_printed_by_the_embedded_default_is_readable_text():
    """Django's console backend prints the MIME message, whose Chinese body is base64: a reporter could not
    read the code in it."""
    stream = io.StringIO()
    message = EmailMessage(
        subject="Inspiracle：您的验证码是 123456",
        body="您在 Inspiracle 提交举报的验证码：123456\nhttp://192.0.2.7:8000/reports/\n",
        from_email="Inspiracle <no-reply@inspiracle.example>",
        to=["rita@example.com"],
        headers={"Message-ID": "<outbox.1.2@inspiracle.example>"},
    )
    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert "Subject: Inspiracle：您的验证码是 123456" in printed and "To: rita@example.com" in printed
    assert "验证码：123456\nhttp://192.0.2.7:8000/reports/" in printed and "base64" not in printed
