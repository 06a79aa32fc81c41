# title: The Counting House
// ink's own functions in conditions and changes (MIN, MAX, FLOOR, CEILING, INT, FLOAT),
// division of decimals and of whole numbers, and a remainder written to the divisor's sign
VAR gold = purse     // a constant, declared after it (inklecate takes both)
CONST purse = 7
VAR debt = -7
VAR half = 0
-> hub

=== hub ===
The clerk counts.
+ {FLOOR(gold / 2.0) / 2 == 1.5} [A decimal floored stays a decimal] -> done
+ {FLOAT(gold) / 2 == 3.5} [FLOAT divides exactly] -> done
+ {INT(debt / 2.0) == -4 || INT(debt / 2.0) == -2} [INT rounds down] -> done
+ {MIN(gold, debt) == debt and MAX(gold, 2) == gold} [Least and most] -> done
+ {((debt mod 3) + 3) mod 3 == 2} [The remainder to the divisor's sign] -> done
+ {CEILING(debt / 2.0) == -3 && debt / 2 == -4} [Up, and whole numbers down] -> done
+ {gold / -2.5 < -2} [A negative decimal] -> done
+ {half == 0.5} [Half a coin] -> done
+ [Spend]
  ~ gold = MAX(gold - 3, 0)
  ~ debt = INT(debt / 2.0) + MIN(half, 1)
  ~ half = FLOAT(gold) / 2
  -> hub

=== done ===
Counted.
-> END
