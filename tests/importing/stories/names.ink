// Names in other scripts: ink reads a knot, stitch, label or variable named with
// Latin-1 and Latin Extended letters, Greek, Cyrillic, Armenian, Hebrew, Arabic, Hangul
// or CJK characters, `_` first or a digit first. Read as ASCII names only, `=== ёлка ===`
// and `-> été` were prose a reader saw, and the story went elsewhere. A stitch before any
// knot (`= корень`) is found from anywhere, as a knot is: it was a line no reading reaches.
VAR золото = 2
VAR _secret = true
VAR 1st = 1
Начало.
* {золото > 1} [Идти] -> ёлка
* {_secret} [Café] -> été
* (élan) {1st == 1} [Élan]
  ~ золото++
  ~ 1st = 2
  -> été.où
* [Корень] -> корень
= корень
Корень.
+ [Λόγος] -> été.λόγος
=== ёлка ===
Ёлка.
+ [Дальше] -> 森
+ [Назад] -> été
+ [Корень] -> корень
=== été ===
L'été.
-> où
= où
Où.
+ {золото > 2} [Deux] -> 2nd
+ [Λόγος] -> été.λόγος
= λόγος
Λόγος.
-> END
=== 2nd ===
Second.
-> END
=== 森 ===
森の中。
-> ёлка
