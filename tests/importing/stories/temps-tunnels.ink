// one `~ temp` name in several knots and stitches: each keeps its own value (a tunnel's
// `x` leaves its caller's as it was), and of its own type
VAR gold = 0
-> start
=== start ===
~ temp x = 7
-> pay ->
~ gold = gold + x
Back from paying.
+ {gold > 5} [Count the coins] -> count
+ {x == 7} [Keep walking] -> road
+ [Rest] -> road.inn
=== pay ===
~ temp x = 2
~ gold = gold + x
You pay.
->->
=== count ===
~ temp x = "many"
+ {x == "many"} [Smile] -> END
+ [Frown] -> END
=== road ===
~ temp x = gold > 8
+ {x} [Buy a horse] -> END
+ [Walk on] -> inn
= inn
~ temp x = gold - 8
+ {x > 0} [Pay for a room] -> END
+ [Sleep outside] -> END
