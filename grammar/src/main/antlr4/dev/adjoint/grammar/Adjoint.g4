/*
 * The .model language (contract: LANGUAGE.md, version 1).
 *
 * No code in the grammar: the front end turns the parse tree into an AST of
 * records with source spans, and every semantic rule (what `grad` means after
 * `input`, that element types are f32/f64/i32, that `.T` is the only postfix
 * member) is checked there, where it can produce a positioned diagnostic.
 */
grammar Adjoint;

file
    : topItem* EOF
    ;

topItem
    : modelDecl
    | fnDecl
    | constDecl
    | SEMI
    ;

// const H = 16 at the top level of a file: every fn and model sees it
constDecl
    : CONST name=ident ASSIGN expr
    ;

modelDecl
    : MODEL name=ident LBRACE stmt* RBRACE
    ;

// fn name(a, b, c=0.1) = expr     or     fn name(a, b) { ...; return expr }
fnDecl
    : FN name=ident LPAREN (fnParam (COMMA fnParam)* COMMA?)? RPAREN
      ( ASSIGN body=expr | block )
    ;

fnParam
    : ident (ASSIGN expr)?
    ;

block
    : LBRACE stmt* RBRACE
    ;

stmt
    : DIM ident (COMMA ident)*                                              # DimStmt
    | CONST ident ASSIGN expr                                               # ConstStmt
    | INPUT (gradWord=ident)? name=ident COLON typeSpec                      # InputStmt
    | PARAM name=ident (LBRACK count=expr RBRACK)? COLON typeSpec
      (ASSIGN init=expr)?                                                   # ParamStmt
    | OUTPUT ident ASSIGN expr                                              # OutputStmt
    | LOSS ident? ASSIGN expr                                               # LossStmt
    | FOR ident IN from=expr DOTDOT to=expr block                           # ForStmt
    | RETURN expr (COMMA expr)*                                             # ReturnStmt
    | ident COMMA ident (COMMA ident)* ASSIGN expr                          # UnpackStmt
    | ident ASSIGN expr                                                     # AssignStmt
    | SEMI                                                                  # EmptyStmt
    ;

// f32[B, 64], f64[], f64 (a scalar)
typeSpec
    : elem=ident (LBRACK (expr (COMMA expr)* COMMA?)? RBRACK)?
    ;

// Precedence, highest first (ANTLR gives earlier alternatives higher precedence):
// postfix .T / subscripts / calls, then ^ (right-assoc), unary -, * / @, + -, comparisons.
expr
    : expr DOT member=ident                                                 # MemberExpr
    | expr LBRACK subscript (COMMA subscript)* COMMA? RBRACK                # SubscriptExpr
    | <assoc=right> expr CARET expr                                         # PowerExpr
    | op=(MINUS | PLUS) expr                                                # UnaryExpr
    | expr op=(STAR | SLASH | AT) expr                                      # MulExpr
    | expr op=(PLUS | MINUS) expr                                           # AddExpr
    | expr op=(LT | LE | GT | GE | EQ | NE) expr                            # CompareExpr
    | callee=ident LPAREN (arg (COMMA arg)* COMMA?)? RPAREN                 # CallExpr
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                            # ListExpr
    | LPAREN expr RPAREN                                                    # ParenExpr
    | NUMBER                                                                # NumberExpr
    | (TRUE | FALSE)                                                        # BoolExpr
    | ident                                                                 # NameExpr
    ;

arg
    : (key=ident ASSIGN)? expr
    ;

// a, a:b, a:, :b, :, and with a step a:b:s, ::s
subscript
    : lo=expr? COLON hi=expr? (COLON step=expr?)?                           # SliceSubscript
    | expr                                                                  # IndexSubscript
    ;

ident
    : ID
    ;

// ---------------------------------------------------------------- lexer

MODEL  : 'model' ;
FN     : 'fn' ;
DIM    : 'dim' ;
CONST  : 'const' ;
INPUT  : 'input' ;
PARAM  : 'param' ;
OUTPUT : 'output' ;
LOSS   : 'loss' ;
FOR    : 'for' ;
IN     : 'in' ;
RETURN : 'return' ;
TRUE   : 'true' ;
FALSE  : 'false' ;

LPAREN : '(' ;
RPAREN : ')' ;
LBRACE : '{' ;
RBRACE : '}' ;
LBRACK : '[' ;
RBRACK : ']' ;
COMMA  : ',' ;
COLON  : ':' ;
SEMI   : ';' ;
DOTDOT : '..' ;
DOT    : '.' ;
EQ     : '==' ;
NE     : '!=' ;
LE     : '<=' ;
GE     : '>=' ;
LT     : '<' ;
GT     : '>' ;
ASSIGN : '=' ;
PLUS   : '+' ;
MINUS  : '-' ;
STAR   : '*' ;
SLASH  : '/' ;
AT     : '@' ;
CARET  : '^' ;

// A fraction needs digits after the dot, so `0..L` lexes as 0 .. L.
NUMBER : DIGIT+ ('.' DIGIT+)? ([eE] [+-]? DIGIT+)? ;
ID     : [A-Za-z_] [A-Za-z0-9_]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f]+ -> skip ;

fragment DIGIT : [0-9] ;
