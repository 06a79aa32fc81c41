/* Hero Foundry expressions in the browser.
 *
 * Runs the JSON AST that pipeline.expr.to_json writes (the AST of the JSON API; see
 * docs/expressions.md), with the semantics of pipeline/expr/evaluate.py, step for
 * step: the same type checks in the same order, the same error codes, short-circuit
 * `and`/`or`, Python's int and float arithmetic (`/` stays an int when exact, a whole
 * result is an int, `//` and `%` floor, round-half-up), and the ±2^53 bound. There is no expression parser here:
 * the site ships the parsed tree.
 *
 * Numbers: a Python int is a plain JS number (exact: every value stays within 2^53,
 * and int arithmetic runs on BigInt, so nothing rounds); a Python float is a PyFloat.
 * parseData() tells them apart by their JSON text (`2.0` is a float, `2` an int),
 * exactly as Python's json module wrote them.
 */
(function (root) {
  "use strict";

  var LIMIT = 9007199254740992; // 2**53, pipeline/expr/tokens.py NUMBER_LIMIT
  var BIG_LIMIT = BigInt(LIMIT);
  var UNKNOWN_NAME = "HF0602", TYPE_MISMATCH = "HF0603", BAD_CALL = "HF0604",
    DIVISION_BY_ZERO = "HF0605", OVERFLOW = "HF0606";

  function PyFloat(v) { this.v = v; }

  function ExprError(code, message) {
    this.code = code;
    this.message = message;
  }
  ExprError.prototype.toString = function () { return this.code + ": " + this.message; };

  function isFloat(x) { return x instanceof PyFloat; }
  function isNumber(x) { return typeof x === "number" || x instanceof PyFloat; }
  function num(x) { return isFloat(x) ? x.v : x; }

  /* pipeline/expr/types.py value_type */
  function typeOf(x) {
    if (typeof x === "boolean") return "bool";
    if (isNumber(x)) return "number";
    if (typeof x === "string") return "string";
    return null;
  }
  var NOUN = { number: "a number", bool: "true/false", string: "text" };

  /* _checked: within ±2^53, and a float that is a whole number is an int (10 / 4 * 4 is 10) */
  function checked(x) {
    if (!(Math.abs(num(x)) <= LIMIT)) throw new ExprError(OVERFLOW, "the result is too large (beyond ±2^53)");
    return isFloat(x) && Number.isInteger(x.v) ? int(x.v) : x;
  }

  function int(x) { return x + 0; } // a Python int never is -0

  /* Integer arithmetic, exact (Python ints do not round). */
  function floorDivBig(x, y) {
    var q = x / y;
    if (x % y !== 0n && (x < 0n) !== (y < 0n)) q -= 1n;
    return q;
  }
  function intOp(op, a, b) {
    var x = BigInt(a), y = BigInt(b), r;
    if (op === "+") r = x + y;
    else if (op === "-") r = x - y;
    else if (op === "*") r = x * y;
    else if (op === "//") r = floorDivBig(x, y);
    else r = x - floorDivBig(x, y) * y; // "%"
    if (r > BIG_LIMIT || r < -BIG_LIMIT) throw new ExprError(OVERFLOW, "the result is too large (beyond ±2^53)");
    return int(Number(r));
  }

  /* Float arithmetic as CPython does it (Objects/floatobject.c: float_rem, _float_div_mod). */
  function copysignZero(sign) { return (sign < 0 || Object.is(sign, -0)) ? -0 : 0; }
  function floatMod(vx, wx) {
    var mod = vx % wx; // ECMAScript % on doubles is C's fmod
    if (mod) {
      if ((wx < 0) !== (mod < 0)) mod += wx;
    } else {
      mod = copysignZero(wx);
    }
    return mod;
  }
  function floatFloorDiv(vx, wx) {
    var mod = vx % wx, div = (vx - mod) / wx, floordiv;
    if (mod) {
      if ((wx < 0) !== (mod < 0)) div -= 1.0;
    }
    if (div) {
      floordiv = Math.floor(div);
      if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
      floordiv = copysignZero(vx / wx);
    }
    return floordiv;
  }

  function arithmetic(op, a, b) {
    if (!isFloat(a) && !isFloat(b)) {
      if (op === "/") {
        // _divide: true division that stays an int when it is exact
        if (BigInt(a) % BigInt(b) === 0n) return intOp("//", a, b);
        return checked(new PyFloat(a / b));
      }
      return intOp(op, a, b);
    }
    var x = num(a), y = num(b), r;
    if (op === "+") r = x + y;
    else if (op === "-") r = x - y;
    else if (op === "*") r = x * y;
    else if (op === "/") r = x / y;
    else if (op === "//") r = floatFloorDiv(x, y);
    else r = floatMod(x, y);
    return checked(new PyFloat(r));
  }

  /* Python's min()/max(): the first of equals wins; the winner keeps its own type. */
  function pyMin(xs) { var best = xs[0]; for (var i = 1; i < xs.length; i++) if (num(xs[i]) < num(best)) best = xs[i]; return best; }
  function pyMax(xs) { var best = xs[0]; for (var i = 1; i < xs.length; i++) if (num(xs[i]) > num(best)) best = xs[i]; return best; }
  function pyRound(x) { var v = num(x), low = Math.floor(v); return int(v - low >= 0.5 ? low + 1 : low); }
  function pyAbs(x) { return isFloat(x) ? new PyFloat(Math.abs(x.v)) : int(Math.abs(x)); }
  function pyClamp(x, low, high) {
    var lo = pyMin([low, high]), hi = pyMax([low, high]);
    return pyMin([pyMax([x, lo]), hi]);
  }

  var NUMERIC = {
    min: function (xs) { return pyMin(xs); },
    max: function (xs) { return pyMax(xs); },
    floor: function (xs) { return int(Math.floor(num(xs[0]))); },
    ceil: function (xs) { return int(Math.ceil(num(xs[0]))); },
    round: function (xs) { return pyRound(xs[0]); },
    abs: function (xs) { return pyAbs(xs[0]); },
    clamp: function (xs) { return pyClamp(xs[0], xs[1], xs[2]); }
  };
  /* pipeline/expr/types.py FUNCTIONS: [min args, max args (null: any), argument type] */
  var FUNCTIONS = {
    min: [1, null, "number"], max: [1, null, "number"], floor: [1, 1, "number"], ceil: [1, 1, "number"],
    round: [1, 1, "number"], abs: [1, 1, "number"], clamp: [3, 3, "number"],
    has: [1, 1, "string"], has_skill: [1, 1, "string"]
  };
  var COMPARE = {
    "<": function (a, b) { return a < b; }, "<=": function (a, b) { return a <= b; },
    ">": function (a, b) { return a > b; }, ">=": function (a, b) { return a >= b; }
  };

  function Evaluator(env, items, skills) {
    this.env = env; // Map: name → value
    this.items = items; // Set of item ids
    this.skills = skills; // Set of skill ids
  }

  Evaluator.prototype.visit = function (node) {
    switch (node.type) {
      case "number": return checked(node.value);
      case "bool": case "string": return node.value;
      case "name": return this.name(node);
      case "unary": return this.unary(node);
      case "binary": return this.binary(node);
      case "call": return this.call(node);
    }
    throw new TypeError("not an expression node: " + node.type);
  };

  Evaluator.prototype.typed = function (node, want, op, code) {
    var value = this.visit(node);
    if (typeOf(value) !== want) throw new ExprError(code || TYPE_MISMATCH, "'" + op + "' needs " + NOUN[want]);
    return value;
  };

  Evaluator.prototype.name = function (node) {
    if (!this.env.has(node.name)) throw new ExprError(UNKNOWN_NAME, "'" + node.name + "' has no value");
    var value = this.env.get(node.name), kind = typeOf(value);
    if (kind === null) throw new ExprError(TYPE_MISMATCH, "'" + node.name + "' holds a value of an unknown kind");
    return kind === "number" ? checked(value) : value;
  };

  Evaluator.prototype.unary = function (node) {
    if (node.op === "not") return !this.typed(node.operand, "bool", "not");
    var v = this.typed(node.operand, "number", "-");
    return checked(isFloat(v) ? new PyFloat(-v.v) : int(0 - v));
  };

  Evaluator.prototype.binary = function (node) {
    var op = node.op, left, right;
    if (op === "and" || op === "or") {
      left = this.typed(node.left, "bool", op);
      if (left === (op === "or")) return left;
      return this.typed(node.right, "bool", op);
    }
    if (op === "==" || op === "!=") {
      left = this.visit(node.left);
      right = this.visit(node.right);
      if (typeOf(left) !== typeOf(right)) throw new ExprError(TYPE_MISMATCH, "'" + op + "' compares values of different kinds");
      var same = num(left) === num(right);
      return op === "==" ? same : !same;
    }
    left = this.typed(node.left, "number", op);
    right = this.typed(node.right, "number", op);
    if (COMPARE[op]) return COMPARE[op](num(left), num(right));
    if ((op === "/" || op === "//" || op === "%") && num(right) === 0) throw new ExprError(DIVISION_BY_ZERO, "division by zero");
    return arithmetic(op, left, right);
  };

  Evaluator.prototype.call = function (node) {
    var sig = Object.prototype.hasOwnProperty.call(FUNCTIONS, node.func) ? FUNCTIONS[node.func] : null;
    if (!sig) throw new ExprError(BAD_CALL, "unknown function '" + node.func + "'");
    var count = node.args.length;
    if (count < sig[0] || (sig[1] !== null && count > sig[1])) throw new ExprError(BAD_CALL, node.func + "() takes a different number of values");
    var values = [];
    for (var i = 0; i < count; i++) values.push(this.typed(node.args[i], sig[2], node.func + "()", BAD_CALL));
    if (node.func === "has") return this.items.has(values[0]);
    if (node.func === "has_skill") return this.skills.has(values[0]);
    return checked(NUMERIC[node.func](values));
  };

  function evaluate(node, env, items, skills) {
    return new Evaluator(env, items || new Set(), skills || new Set()).visit(node);
  }

  /* apply_effects: in order, each seeing what the previous left; all or nothing. */
  function applyEffects(effects, env, items, skills) {
    var newEnv = new Map(env), newItems = new Set(items);
    skills = skills || new Set();
    effects.forEach(function (effect) { applyOne(effect, newEnv, newItems, skills); });
    env.clear();
    newEnv.forEach(function (v, k) { env.set(k, v); });
    items.clear();
    newItems.forEach(function (i) { items.add(i); });
  }

  function applyOne(effect, env, items, skills) {
    if (effect.type === "give") items.add(effect.item);
    else if (effect.type === "take") items.delete(effect.item);
    else if (effect.type === "set") store(env, effect.name, effect.value);
    else if (effect.type === "assign") {
      var value = evaluate(effect.value, env, new Set(items), skills);
      if (effect.op !== "=") value = step(effect, env, value);
      store(env, effect.target, value);
    } else throw new TypeError("not an effect node: " + effect.type);
  }

  function step(effect, env, amount) {
    if (!env.has(effect.target)) throw new ExprError(UNKNOWN_NAME, "'" + effect.target + "' has no value to change");
    var old = env.get(effect.target);
    [old, amount].forEach(function (v) {
      if (typeOf(v) !== "number") throw new ExprError(TYPE_MISMATCH, "'" + effect.op + "' needs numbers");
    });
    return arithmetic(effect.op === "+=" ? "+" : "-", old, amount);
  }

  function store(env, name, value) {
    if (env.has(name) && typeOf(env.get(name)) !== typeOf(value)) {
      throw new ExprError(TYPE_MISMATCH, "'" + name + "' holds " + NOUN[typeOf(env.get(name))] + ", not " + NOUN[typeOf(value)]);
    }
    env.set(name, value);
  }

  /* JSON as Python wrote it, with floats kept as floats. Browsers with JSON.parse
   * source access (Chromium 114+, Firefox 135+) see `2.0`; elsewhere a whole-number
   * float reads as an int, which changes no comparison and no branch taken. */
  function parseData(text) {
    return JSON.parse(text, function (key, value, context) {
      if (typeof value !== "number") return value;
      var source = context && typeof context.source === "string" ? context.source : null;
      if (source !== null ? /[.eE]/.test(source) : !Number.isInteger(value)) return new PyFloat(value);
      return value;
    });
  }

  /* A value as Python's json.dumps writes it (what `foundry play --json` prints). */
  function floatRepr(v) {
    if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
    var a = Math.abs(v);
    if (a >= 1e16 || a < 1e-4) {
      var parts = v.toExponential().split("e"), exp = parseInt(parts[1], 10);
      return parts[0] + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    var s = String(v);
    return s.indexOf(".") < 0 ? s + ".0" : s;
  }
  function toJSONText(value) {
    if (isFloat(value)) return floatRepr(value.v);
    return JSON.stringify(value);
  }

  var api = {
    PyFloat: PyFloat, ExprError: ExprError, evaluate: evaluate, applyEffects: applyEffects,
    parseData: parseData, toJSONText: toJSONText, typeOf: typeOf
  };
  root.FoundryExpr = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
