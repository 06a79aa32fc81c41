"""Voice-over: audio per line id and language (docs/localization.md, "Voice-over").

    audio   one file's bytes → what it holds (format, duration, rate, channels), or why not
    clips   content/audio/<language>/<line id>.<ext> found, confined, checked → VoiceOver
    scenes  which clips a story scene plays, in order (for the site's player)
"""
