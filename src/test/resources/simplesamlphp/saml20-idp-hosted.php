<?php
/*
 * The hosted IdP (SimpleSamlPhpServer fills in the @...@ values): the entity ID made from the URL it is reached at
 * (http://127.0.0.1:<port>/simplesaml/saml2/idp/metadata.php), its key and certificate, the test's login. Nothing
 * else: SimpleSAMLphp's defaults for the NameID format (transient), the signature (assertion signed, RSA-SHA256) and
 * the attributes (basic NameFormat).
 */
$metadata['__DYNAMIC:1__'] = [
    'host' => '__DEFAULT__',
    'privatekey' => 'idp.key',
    'certificate' => 'idp.crt',
    'auth' => 'hub-users',
];
