# Input piped to Invoke-InNamespace goes to the program's standard input (as pwsh does for a native command), and to a
# script block as $input. Real namespaces; each test checks what the program inside read.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:ns = New-TestName 'stdin'
    New-NetNamespace $ns | Out-Null
}

AfterAll {
    Remove-TestNamespace $ns
}

Describe 'Invoke-InNamespace with piped input' {
    It 'writes each piped string as one line on the standard input of one program' {
        'alpha', 'beta' | Invoke-InNamespace $ns -- cat | Should -Be @('alpha', 'beta')
        # One process for the whole pipeline: wc counts every line it read.
        1..500 | Invoke-InNamespace $ns -- wc -l | Should -Be '500'
        $LASTEXITCODE | Should -Be 0
    }

    It 'runs the program inside the namespace and lets it write a file from the input (tee)' {
        $file = "/tmp/$ns-tee.conf"
        try {
            'line 1', 'line 2' | Invoke-InNamespace $ns -- tee $file | Out-Null
            Get-Content $file | Should -Be @('line 1', 'line 2')
        } finally { Remove-Item $file -ErrorAction SilentlyContinue }
    }

    It 'streams: lines piped later arrive after earlier output was written' {
        $t0 = [Diagnostics.Stopwatch]::StartNew()
        $seen = & { 'first'; Start-Sleep -Milliseconds 1200; 'second' } | Invoke-InNamespace $ns -- cat |
            ForEach-Object { [pscustomobject]@{ Line = $_; At = $t0.Elapsed.TotalSeconds } }
        $seen.Line | Should -Be @('first', 'second')
        # The program got 'first' before 'second' existed: it had been started, not run once at the end of the pipeline.
        $seen[0].At | Should -BeGreaterThan 1.0
    }

    It 'closes standard input at the end of the pipeline, and a program that stops reading early is no error' {
        1..100000 | Invoke-InNamespace $ns -ErrorVariable ev -- head -n 2 | Should -Be @('1', '2')
        @($ev).Count | Should -Be 0
    }

    It 'keeps $LASTEXITCODE and NativeCommandFailed for a non-zero exit' {
        'a' | Invoke-InNamespace $ns -ErrorVariable ev -ErrorAction SilentlyContinue -- sh -c 'cat; exit 4' | Should -Be 'a'
        $LASTEXITCODE | Should -Be 4
        Assert-NetNsError $ev 'NativeCommandFailed' 'InvalidResult'
    }

    It 'gives a script block the piped objects as $input (deserialized)' {
        'x', 'y' | Invoke-InNamespace $ns { $input | ForEach-Object { "got $_" } } 6>$null | Should -Be @('got x', 'got y')
        $r = @{ Name = 'n1'; Port = 7 }, @{ Name = 'n2'; Port = 8 } | ForEach-Object { [pscustomobject]$_ } |
            Invoke-InNamespace $ns { param($add) foreach ($o in $input) { $o.Port + $add } } 10 6>$null
        $r | Should -Be @(17, 18)
    }

    It 'refuses a missing namespace once, with NamespaceNotFound, and runs nothing' {
        $missing = New-TestName 'nons'
        'a', 'b' | Invoke-InNamespace $missing -ErrorVariable ev -ErrorAction SilentlyContinue -- cat | Should -BeNullOrEmpty
        @($ev).Count | Should -Be 1
        Assert-NetNsError $ev 'NamespaceNotFound' 'ObjectNotFound'
    }

    It 'still runs once per object when piped objects give -Namespace by property name' {
        $out = Get-NetNamespace $ns | Invoke-InNamespace -Command cat -ArgumentList '/proc/sys/net/ipv4/ip_forward'
        $out | Should -Be '0'
    }
}

Describe 'Where programs start' {
    It 'Invoke-InNamespace starts the program in the current PowerShell location, as a native command' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) (New-TestName 'cwd')
        New-Item -ItemType Directory $dir | Out-Null
        try {
            Push-Location $dir
            try { Invoke-InNamespace $ns -- pwd | Should -Be $dir } finally { Pop-Location }
        } finally { Remove-Item -Recurse -Force $dir }
    }
}
