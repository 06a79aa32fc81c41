// A weave at the top of the story, with no knot: nested choices, a labelled gather.
// Escaped brackets in a choice are text the player sees, not its [choice-only] part.
// `mod` of a negative number keeps its sign (-7 mod 2 is -1), and `/ 2.0` is exact.
// A number tested on its own (`hat and coins`) means "not 0".
// `//` starts a comment even in a web address: ink prints "A sign: http:".
# title: The Market
VAR coins = 6
VAR hat = false
The market is loud. A sign: http://market.example
* [Buy a hat]
  ~ hat = true
  ~ coins -= 2
  A fine hat.
* {coins > 5} {(coins - 13) mod 2 == -1 && coins / 4.0 == 1.5} [Buy a horse \[grey\]]
  Too dear.
* Haggle \[politely\]
  ** [Shout] You shout.
  ** [Whisper]
     You whisper.
     ~ coins += 1
  -- The seller laughs.
- (after) You walk on.
* {hat and coins} [Show off the hat] People stare.
* [Go home]
* Run away -> END
+ [Give up] -> DONE
- Home at last.
-> END
