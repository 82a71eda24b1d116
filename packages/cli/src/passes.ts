// The passes paradox-opt can run: each package registers its passes when imported.
import '@paradox/pass-dce';
import '@paradox/pass-cse';
import '@paradox/pass-fold';
import '@paradox/pass-layout';
import '@paradox/pass-fusion';
